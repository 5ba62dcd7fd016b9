import { createTransport, Transporter } from 'nodemailer';
import { ChannelOutcome, DeliveryAttemptFailed, NotificationChannel, OutboundMessage } from './channel';
import { MessageFolder } from './message-folder';

/** smtp://user:password@host:port, or smtps:// for TLS from the start. */
function smtpServer(url: string) {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'smtps:';
  return {
    host: parsed.hostname,
    port: Number(parsed.port || (secure ? 465 : 587)),
    secure,
    ...(parsed.username
      ? { auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } }
      : {}),
  };
}

interface SmtpError {
  responseCode?: number;
  message?: string;
}

/**
 * E-mail with HTML and text bodies. With an SMTP server configured it sends
 * there; without one, the same message is written as an .eml file to the
 * message folder. The Message-ID is the delivery's, so a mail system that sees
 * it twice can tell.
 */
export class EmailChannel implements NotificationChannel {
  private readonly transport: Transporter;

  constructor(
    private readonly from: string,
    smtpUrl: string | undefined,
    private readonly folder: MessageFolder,
    timeoutMs: number,
  ) {
    this.transport = smtpUrl
      ? createTransport({
          ...smtpServer(smtpUrl),
          pool: true,
          maxConnections: 2,
          connectionTimeout: timeoutMs,
          greetingTimeout: timeoutMs,
          socketTimeout: timeoutMs,
        })
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(message: OutboundMessage): Promise<ChannelOutcome> {
    const mail = {
      from: this.from,
      to: message.address,
      subject: message.rendered.subject,
      text: message.rendered.text,
      html: message.rendered.html,
      messageId: `<${message.deliveryId}@nrm-flow>`,
    };
    let info: { message?: Buffer };
    try {
      info = await this.transport.sendMail(mail);
    } catch (error) {
      const smtp = error as SmtpError;
      throw new DeliveryAttemptFailed(
        `the mail server refused the message: ${smtp.message ?? String(error)}`,
        smtp.responseCode,
        smtp.responseCode !== undefined && smtp.responseCode >= 500,
      );
    }
    if (info.message) await this.folder.write('email', message.deliveryId, 'eml', info.message);
    return { status: 'sent' };
  }

  close(): void {
    this.transport.close();
  }
}
