// The baselines of the delivery benchmark: a bare node:http server answering a small JSON on every
// path (for /v1/decision), or with the argument `gif` the impression pixel's 43-byte transparent GIF
// (for /v1/imp): no routing, no security headers, no counting, no access records.
import http from 'node:http';

const gif = process.argv[2] === 'gif';
const body = gif
  ? Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64')
  : JSON.stringify({ ok: true, server: 'bare node:http', note: 'baseline for npm run bench' });
const headers = { 'content-type': gif ? 'image/gif' : 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) };
const server = http.createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
