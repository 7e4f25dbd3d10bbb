// Where the workflows and flows of the end-to-end tests report what they did: an HTTP Request node
// (n8n) or an http request node (Node-RED) POSTs each item here as JSON.
import * as http from 'http';
import { AddressInfo } from 'net';

/** An HTTP server on 127.0.0.1 that hands each request body to `onBody`, then answers 200 {"ok":true}; `url` is where to POST. */
export async function startDeliveryReceiver(onBody: (body: string) => void): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      onBody(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/deliveries` };
}
