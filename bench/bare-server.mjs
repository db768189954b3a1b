// The baseline of the delivery benchmark: a bare node:http server answering a small JSON on /.
import http from 'node:http';

const body = JSON.stringify({ ok: true, server: 'bare node:http', note: 'baseline for npm run bench' });
const length = Buffer.byteLength(body);
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
