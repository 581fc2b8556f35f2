import { Link, useParams } from 'react-router';
import { ErrorNote, Page, Panel } from '../components/ui';
import { useApi } from '../components/use-api';
import { fmtInt, fmtTime, fmtUsd } from '../format';
import type { RequestLog } from '../types';
import { statusBadge, useNames } from './logs';

/** Every column of one request log row (rows hold no body and no secret). */
export function LogPage() {
  const { requestId = '' } = useParams();
  const { data: log, error } = useApi<RequestLog>(`/stats/logs/${encodeURIComponent(requestId)}`);
  const names = useNames();
  const rows: Array<[string, React.ReactNode]> = log
    ? [
        ['request id', <span className="mono">{log.requestId}</span>],
        ['client request id', <span className="mono">{log.clientRequestId ?? '—'}</span>],
        ['status', <>{statusBadge(log)} {log.errorClass ?? ''}</>],
        ['model', <span className="mono">{log.model}</span>],
        ['upstream model', <span className="mono">{log.upstreamModel ?? '—'}</span>],
        ['key', log.apiKeyId === null ? '—' : <Link to={`/keys/${log.apiKeyId}`}>{names.key(log.apiKeyId)}</Link>],
        ['provider', names.provider(log.providerId)],
        ['account', names.account(log.accountId)],
        ['proxy id', log.proxyId ?? '—'],
        ['client format', log.clientFormat],
        ['stream', log.isStream ? 'yes' : 'no'],
        ['attempts', log.attempts],
        ['affinity', log.affinity ?? '—'],
        ['input tokens', fmtInt(log.inputTokens)],
        ['output tokens', fmtInt(log.outputTokens)],
        ['cached tokens', fmtInt(log.cachedTokens)],
        ['cost', fmtUsd(log.costUsd)],
        ['latency', `${fmtInt(log.latencyMs)} ms`],
        ['upstream latency', `${fmtInt(log.upstreamLatencyMs)} ms`],
        ['dropped fields', log.droppedFields ?? '—'],
        ['started', fmtTime(log.startedAt)],
        ['logged', fmtTime(log.createdAt)],
      ]
    : [];
  return (
    <Page title="Request" actions={<Link to="/logs">All logs</Link>}>
      <ErrorNote error={error} />
      {log && (
        <Panel>
          <dl className="kv" data-testid="log-detail">
            {rows.map(([label, value]) => (
              <div key={label} className="kv-row" data-testid={`log-field-${label.replaceAll(' ', '-')}`}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </Panel>
      )}
    </Page>
  );
}
