export { bareHost, classifyAddress, classifyHost, isLocalName, type AddressClass } from './address-class.js';
export { egressConnector } from './egress-connector.js';
export { EgressPolicy, EgressRefusedError, type EgressAllowance } from './egress-policy.js';
