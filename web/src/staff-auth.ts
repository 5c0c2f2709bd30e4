import * as oauth from 'oauth4webapi';

/**
 * Staff sign-in for the staff page: OpenID Connect authorization code with PKCE, as a public
 * client, with oauth4webapi doing the protocol checks (issuer, state, iss, nonce, ID token).
 *
 * Tokens are kept in memory only (this module's callers hold them): never in localStorage,
 * sessionStorage, a cookie or the URL, so closing or reloading the page signs out of the
 * page. The one thing kept across the redirect to the issuer is the PKCE verifier, state and
 * nonce, in sessionStorage, removed the moment the page comes back: without the one-time code
 * they grant nothing, and a page cannot keep memory across a full navigation.
 */

export interface SignInSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

export interface StaffTokens {
  accessToken: string;
  idToken: string | undefined;
  /** When the access token expires (ms since epoch); the page signs out then. */
  expiresAt: number;
  /** The ID token's name, or preferred_username, for "Signed in as". */
  name: string | null;
}

const PENDING = 'staff-sign-in-pending';

/** The sign-in the page configured in `#booking-config` (render-page writes it), if any. */
export function signInFromPage(doc: Document = document): SignInSettings | undefined {
  try {
    const config = JSON.parse(doc.getElementById('booking-config')?.textContent || '{}') as { signIn?: Partial<SignInSettings> | null };
    const s = config.signIn;
    if (s && typeof s.issuer === 'string' && typeof s.clientId === 'string' && typeof s.scope === 'string') return { issuer: s.issuer, clientId: s.clientId, scope: s.scope };
  } catch {
    // No (valid) configuration: no sign-in.
  }
  return undefined;
}

/** http is accepted only for an issuer on this machine (npm start's development provider). */
function requestOptions(issuer: URL): { [oauth.allowInsecureRequests]?: boolean } {
  const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  return local ? { [oauth.allowInsecureRequests]: true } : {};
}

export class SignInError extends Error {
  override name = 'SignInError';
}

export class StaffAuth {
  private _server?: Promise<oauth.AuthorizationServer>;
  private readonly _client: oauth.Client;
  private readonly _issuer: URL;

  constructor(
    readonly settings: SignInSettings,
    /** Where the issuer sends staff back: this page, without its query. */
    readonly redirectUri = `${location.origin}${location.pathname}`,
  ) {
    this._issuer = new URL(settings.issuer);
    this._client = { client_id: settings.clientId };
  }

  private _discover(): Promise<oauth.AuthorizationServer> {
    this._server ??= oauth
      .discoveryRequest(this._issuer, { algorithm: 'oidc', ...requestOptions(this._issuer) })
      .then((res) => oauth.processDiscoveryResponse(this._issuer, res))
      .catch((err) => {
        this._server = undefined;
        throw err;
      });
    return this._server;
  }

  /** Leaves for the issuer's sign-in page; comes back to `redirectUri` with a code. */
  async begin(): Promise<void> {
    const server = await this._discover();
    if (!server.authorization_endpoint) throw new SignInError('The sign-in service has no authorization endpoint.');
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(server.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.settings.clientId,
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope: this.settings.scope,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    }).toString();
    sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce }));
    location.assign(url.href);
  }

  /** True when this page load is the issuer sending staff back (with a code or an error). */
  static isReturn(url: URL = new URL(location.href)): boolean {
    return url.searchParams.has('state') && (url.searchParams.has('code') || url.searchParams.has('error'));
  }

  /**
   * Finishes a sign-in this page began: checks the answer, trades the code for tokens, and
   * takes the code out of the address bar. Throws a SignInError a person can read.
   */
  async complete(url: URL = new URL(location.href)): Promise<StaffTokens> {
    const raw = sessionStorage.getItem(PENDING);
    sessionStorage.removeItem(PENDING);
    history.replaceState(null, '', this.redirectUri);
    if (!raw) throw new SignInError('That sign-in was not started here, or has already been used. Sign in again.');
    const { verifier, state, nonce } = JSON.parse(raw) as { verifier: string; state: string; nonce: string };
    const server = await this._discover();
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(server, this._client, url, state);
    } catch (err) {
      const description = err instanceof oauth.AuthorizationResponseError ? err.error_description || err.error : 'the answer could not be checked';
      throw new SignInError(`Sign-in did not complete (${description}). Sign in again.`);
    }
    const response = await oauth.authorizationCodeGrantRequest(server, this._client, oauth.None(), params, this.redirectUri, verifier, requestOptions(this._issuer));
    let result: oauth.TokenEndpointResponse;
    try {
      result = await oauth.processAuthorizationCodeResponse(server, this._client, response, { expectedNonce: nonce, requireIdToken: true });
    } catch {
      throw new SignInError('The sign-in service did not give this page a valid sign-in. Sign in again.');
    }
    const claims = oauth.getValidatedIdTokenClaims(result);
    const name = typeof claims?.name === 'string' ? claims.name : typeof claims?.preferred_username === 'string' ? claims.preferred_username : null;
    return {
      accessToken: result.access_token,
      idToken: result.id_token,
      expiresAt: Date.now() + (result.expires_in ?? 300) * 1000,
      name,
    };
  }

  /**
   * Where to send the browser to end the issuer's session too (RP-initiated logout), or
   * undefined when the issuer offers none; the page forgets its tokens either way.
   */
  async signOutUrl(tokens: StaffTokens): Promise<string | undefined> {
    const server = await this._discover().catch(() => undefined);
    if (!server?.end_session_endpoint) return undefined;
    const url = new URL(server.end_session_endpoint);
    url.searchParams.set('client_id', this.settings.clientId);
    url.searchParams.set('post_logout_redirect_uri', this.redirectUri);
    if (tokens.idToken) url.searchParams.set('id_token_hint', tokens.idToken);
    return url.href;
  }
}
