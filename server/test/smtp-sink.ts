import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One message the sink received: envelope sender, recipients and the raw message. */
export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

/** A real SMTP server (the smtp-server package, server/requests/test/smtp-sink.mjs) in its own process on a loopback port. */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  private waiters: Array<() => void> = [];
  private constructor(readonly child: ChildProcessWithoutNullStreams, readonly port: number) {}

  static start(): Promise<SmtpSink> {
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'requests', 'test', 'smtp-sink.mjs');
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      let buffer = '';
      let sink: SmtpSink | undefined;
      child.once('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let nl: number;
        while ((nl = buffer.indexOf('\n')) !== -1) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          const m = /^LISTENING (\d+)$/.exec(line);
          if (m) resolve((sink = new SmtpSink(child, Number(m[1]))));
          else if (sink) {
            sink.messages.push(JSON.parse(line) as ReceivedMail);
            for (const w of sink.waiters.splice(0)) w();
          }
        }
      });
    });
  }

  /** The `mail` setting of a test app that sends here. */
  get settings(): { url: string; from: string } {
    return { url: `smtp://127.0.0.1:${this.port}`, from: 'privacy@agency.example' };
  }

  /** Resolves once `n` messages have arrived (or fails after 10 s). */
  async waitFor(n: number): Promise<ReceivedMail[]> {
    const deadline = Date.now() + 10_000;
    while (this.messages.length < n) {
      if (Date.now() > deadline) throw new Error(`only ${this.messages.length} of ${n} messages arrived`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return this.messages;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
