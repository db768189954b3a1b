// A real SMTP server for tests, run as its own process: `node smtp-sink.mjs` listens on a free
// loopback port, prints `LISTENING <port>`, then one JSON line per received message
// {from, to, data} on standard output. Plain SMTP (no STARTTLS), no authentication.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      const message = {
        from: session.envelope.mailFrom && session.envelope.mailFrom.address,
        to: session.envelope.rcptTo.map((r) => r.address),
        data: Buffer.concat(chunks).toString('utf8'),
      };
      process.stdout.write(JSON.stringify(message) + '\n');
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${server.server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
