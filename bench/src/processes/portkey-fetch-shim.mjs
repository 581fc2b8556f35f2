// Loaded into Portkey's process (node --import) so that it can stream on Node 20. Portkey sets headers on the
// Response its fetch() returned; the Fetch standard makes those headers immutable, and Node 20's undici
// enforces it ("TypeError: immutable", Portkey-AI/gateway#1389; Portkey declares Node >= 22). Each response
// is handed over as a new Response with the same status, headers and (unread) body stream, whose headers may
// be changed. This costs Portkey one Headers copy per upstream call; it changes nothing else it does.
const fetchOriginal = globalThis.fetch;

globalThis.fetch = async (...args) => {
  const response = await fetchOriginal(...args);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
};
