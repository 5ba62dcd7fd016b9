import { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export const mailOf = (account: string) => `${account}@demo.nrm-flow.example`;

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  raw: string;
}

/** A real SMTP server that keeps what it receives, and can kill the sender the moment a message arrives. */
export class Mailbox {
  readonly mails: Mail[] = [];
  private readonly server: SMTPServer;
  /** Called with each message before the server acknowledges it. */
  beforeAcknowledging: (mail: Mail) => Promise<void> = () => Promise.resolve();
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          void PostalMime.parse(raw).then(async (parsed) => {
            const mail = {
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: parsed.html ?? '',
              messageId: parsed.messageId ?? '',
              raw,
            };
            this.mails.push(mail);
            await this.beforeAcknowledging(mail);
            callback();
          });
        });
      },
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  to(account: string): Mail[] {
    return this.mails.filter((mail) => mail.to.includes(mailOf(account)));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
