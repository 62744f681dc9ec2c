/**
 * docs/recipes.md: plain Node, and Koa through the same listener.
 *
 * @sample run
 */
import { createServer } from 'node:http';
import { createTracker } from 'bluetick';
import { createNodeListener } from 'bluetick/node';

const tracker = createTracker();
const whatsapp = createNodeListener({
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  tracker,
});

createServer((req, res) => {
  if (req.url?.startsWith('/webhooks/whatsapp')) return void whatsapp(req, res);
  res.writeHead(404).end();
}).listen(3000);

// Koa: let bluetick write the response itself, and mount it before koa-bodyparser.
interface KoaContext { path: string; req: Parameters<typeof whatsapp>[0]; res: Parameters<typeof whatsapp>[1]; respond?: boolean }
export async function koaWhatsapp(ctx: KoaContext, next: () => Promise<unknown>): Promise<unknown> {
  if (ctx.path !== '/webhooks/whatsapp') return next();
  ctx.respond = false;
  await whatsapp(ctx.req, ctx.res);
}
