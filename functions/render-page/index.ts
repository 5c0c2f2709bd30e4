import { DomainError } from '../core/errors';
import { defineHttpFunction } from '../core/function';
import { route, sendJson, type RouteContext } from '../core/http';
import { log } from '../core/log';
import { assets, pickEncoding } from './assets';
import { pageConfig } from './config';
import { pageHeaders, renderPage, type PageName } from './page';

const pages = new Map<PageName, string>();

/**
 * The page for `name`, made once: it depends only on configuration and the build. When either
 * is broken the reason is logged in full (it names a variable or a folder, never request
 * data), since the 500 the visitor gets says nothing.
 */
function page(name: PageName): string {
  let html = pages.get(name);
  if (html === undefined) {
    try {
      html = renderPage(name, pageConfig(), assets());
    } catch (err) {
      log.error('render-page cannot make its page', { reason: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    pages.set(name, html);
  }
  return html;
}

const sendPage = (name: PageName) => async ({ res }: RouteContext) => {
  const body = page(name);
  res.writeHead(200, { ...pageHeaders(pageConfig()), 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
};

/** A hashed asset: its name changes with its content, so it may be cached for good. */
async function sendAsset({ req, res, params }: RouteContext): Promise<void> {
  const asset = assets().files.get(params.file);
  if (!asset) throw new DomainError('not_found', 'There is no such asset.');
  const { coding, body } = pickEncoding(asset, req.headers['accept-encoding']);
  const headers: Record<string, string> = {
    'Content-Type': asset.type,
    'Content-Length': String(body.length),
    'Cache-Control': 'public, max-age=31536000, immutable',
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (coding) headers['Content-Encoding'] = coding;
  res.writeHead(200, headers);
  res.end(body);
}

// Links to a page may carry tracking parameters, and the staff page gets the sign-in's
// `code` and `state`: pages ignore their query rather than refuse it.
const pageRoute = { query: 'ignored' } as const;

const routes = [
  route('GET', '/', sendPage('booking'), pageRoute),
  route('GET', '/book', sendPage('booking'), pageRoute),
  route('GET', '/staff', sendPage('staff'), pageRoute),
  route('GET', '/manage', sendPage('manage'), pageRoute),
  route('GET', '/assets/:file', sendAsset, pageRoute),
  // The page needs no database, so its probe must not fail when PostgreSQL does: it is ready
  // once it can make its page (configuration and build are sound).
  route('GET', '/healthz', async ({ res }) => {
    page('booking');
    sendJson(res, 200, { ok: true });
  }),
];

/** The patient's page and the staff page, with the script and styles they load; no database. */
export default defineHttpFunction('render-page', routes, { cors: false, usesDatabase: false });
