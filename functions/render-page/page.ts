import type { Assets } from './assets';
import type { PageConfig } from './config';

export type PageName = 'booking' | 'staff' | 'manage';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON that cannot end the <script> block it sits in, or open a comment there. */
const jsonForScriptBlock = (value: unknown) =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/**
 * The page's Content-Security-Policy: its own scripts and styles only, no inline script,
 * requests only to itself and the configured API origins, Trusted Types for the DOM sinks
 * (Lit's templates go through its own "lit-html" policy).
 */
export function contentSecurityPolicy(config: PageConfig): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...config.apiOrigins].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');
}

/** Headers of the HTML page. It names the current asset files, so it is revalidated each time. */
export function pageHeaders(config: PageConfig): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-cache',
    'Content-Security-Policy': contentSecurityPolicy(config),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}

const titles: Record<PageName, string> = {
  booking: 'Book an appointment',
  staff: 'Appointments (clinic staff)',
  manage: 'Your appointment',
};

const contents: Record<PageName, string> = {
  booking: `<p>Choose a doctor and a time that suits you. You will get a booking reference to look up or cancel your appointment later.</p>
<booking-widget></booking-widget>`,
  staff: `<p>Appointments across the clinic. Sign in with your clinic account; the sign-in is kept only while this page is open.</p>
<appointments-table></appointments-table>`,
  // The reference arrives in the URL fragment (/manage#<reference>), which the browser never
  // sends: it is in no request line, proxy log or Referer.
  manage: `<p>Your appointment, from the link in your e-mail: move it to another time or cancel it.</p>
<booking-manage></booking-manage>`,
};

/**
 * The whole page. It is made from configuration and the asset manifest only, never from the
 * request, so nothing a visitor sends can appear in it.
 */
export function renderPage(name: PageName, config: PageConfig, built: Assets): string {
  const asset = (logical: string) => `/assets/${escapeHtml(built.manifest[logical])}`;
  const content = contents[name];
  const other = name === 'booking' ? '<a href="/staff">For clinic staff</a>' : '<a href="/book">Book an appointment</a>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(titles[name])} · Clinic</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('page.css')}">
<script type="module" src="${asset('index.js')}"></script>
<script type="application/json" id="booking-config">${jsonForScriptBlock(name === 'staff' ? { api: config.api, signIn: config.signIn ?? null } : { api: config.api })}</script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><div class="inner"><h1>${escapeHtml(titles[name])}</h1><nav aria-label="Pages">${other}</nav></div></header>
<main id="main">
${content}
<noscript><p>This page needs JavaScript to book. Please call the clinic instead.</p></noscript>
</main>
</body>
</html>
`;
}
