/** Security headers on every reply, through Hono's secure-headers middleware. */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/**
 * The page loads only its own scripts and styles; abstracts are untrusted text, so no inline script may run and
 * nothing may frame the page. JSON replies get the same headers (harmless, and a stray HTML render stays inert).
 * @example
 * app.use('*', securityHeaders());
 */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      connectSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    // Plain http on a LAN is normal for this tool; HSTS would only confuse a browser that later meets https.
    strictTransportSecurity: false,
  });
}
