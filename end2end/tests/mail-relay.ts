// A small SMTP relay the specs run themselves on the port the main server mails through: it keeps
// every message, so that a spec can read what the site sent.
import net from 'node:net';

/** One message as the relay received it: its recipients, and its body as a reader sees it. */
export type Mail = { to: string[]; body: string };

/** The body of a message as sent (`data`), quoted-printable decoded and its soft line breaks joined. */
function readableBody(data: string): string {
  const split = data.indexOf('\r\n\r\n');
  const headers = split < 0 ? data : data.slice(0, split);
  const body = split < 0 ? '' : data.slice(split + 4);
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(headers)) return body;
  const joined = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const escape = joined[i] === '=' ? joined.slice(i + 1, i + 3) : '';
    if (/^[0-9A-F]{2}$/i.test(escape)) {
      bytes.push(parseInt(escape, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A minimal SMTP relay on 127.0.0.1:`port` that keeps every message it is sent. */
export async function startRelay(port: number): Promise<{ inbox: Mail[]; close: () => Promise<void> }> {
  const inbox: Mail[] = [];
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let recipients: string[] = [];
    const reply = (text: string) => socket.write(`${text}\r\n`);
    reply('220 relay ready');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          inbox.push({ to: recipients, body: readableBody(buffer.slice(0, end).replace(/^\.\./gm, '.')) });
          buffer = buffer.slice(end + 5);
          recipients = [];
          inData = false;
          reply('250 queued');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const command = line.toUpperCase();
        if (command.startsWith('EHLO')) {
          socket.write('250-relay\r\n250 8BITMIME\r\n');
        } else if (command.startsWith('RCPT TO:')) {
          recipients.push(line.slice(8).trim().replace(/^<|>$/g, ''));
          reply('250 ok');
        } else if (command.startsWith('DATA')) {
          inData = true;
          reply('354 go on');
        } else if (command.startsWith('QUIT')) {
          reply('221 bye');
          socket.end();
          return;
        } else {
          reply('250 ok');
        }
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { inbox, close };
}

