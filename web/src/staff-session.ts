import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { endpointsFromPage } from './api';
import { SignInError, signInFromPage, StaffAuth, type SignInSettings, type StaffTokens } from './staff-auth';

/** GET /api/staff/me: who is signed in, and what the page may offer them. */
export interface StaffMe {
  sub: string;
  name: string | null;
  roles: string[];
  doctor_id: number | null;
  may: { list: boolean; every_doctor: boolean; contact: boolean; audit: boolean };
}

/**
 * The staff page's sign-in as a Lit controller: it finishes a sign-in when the issuer sends
 * staff back, asks the API who they are, forgets everything at sign-out or expiry, and asks
 * its host to render each time that changes. The tokens are fields of this object, nowhere else.
 */
export class StaffSession implements ReactiveController {
  tokens?: StaffTokens;
  me?: StaffMe;
  /** A sentence for the page when signing in failed or the sign-in ended. */
  problem?: string;
  busy = false;
  readonly auth?: StaffAuth;
  private _expiry?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Called once staff are signed in and the API has said who they are. */
    private readonly onReady: (me: StaffMe) => void,
    settings: SignInSettings | undefined = signInFromPage(),
    private readonly apiBase: string = endpointsFromPage().listAppointments,
  ) {
    this.auth = settings ? new StaffAuth(settings) : undefined;
    host.addController(this);
  }

  get signedIn(): boolean {
    return this.tokens !== undefined && this.me !== undefined;
  }

  hostConnected(): void {
    if (this.auth && StaffAuth.isReturn()) void this._finish();
  }

  hostDisconnected(): void {
    clearTimeout(this._expiry);
  }

  async signIn(): Promise<void> {
    if (!this.auth || this.busy) return;
    this._set({ busy: true, problem: undefined });
    try {
      await this.auth.begin();
    } catch {
      this._set({ busy: false, problem: 'The sign-in service could not be reached. Try again shortly.' });
    }
  }

  /** Forgets the tokens, then lets the issuer end its own session when it offers that. */
  async signOut(): Promise<void> {
    const tokens = this.tokens;
    this.end();
    const url = tokens && (await this.auth?.signOutUrl(tokens));
    if (url) location.assign(url);
  }

  /** Forgets the sign-in here, saying why when `problem` is given. */
  end(problem?: string): void {
    clearTimeout(this._expiry);
    this.tokens = undefined;
    this.me = undefined;
    this._set({ busy: false, problem });
  }

  private async _finish(): Promise<void> {
    this._set({ busy: true, problem: undefined });
    try {
      const tokens = await this.auth!.complete();
      const res = await fetch(`${this.apiBase}/api/staff/me`, { headers: { Authorization: `Bearer ${tokens.accessToken}`, Accept: 'application/json' }, credentials: 'omit', cache: 'no-store' });
      if (!res.ok) throw new SignInError(res.status === 401 ? 'The clinic did not accept that sign-in.' : 'The booking service could not be reached. Try again shortly.');
      const me = (await res.json()) as StaffMe;
      this.tokens = tokens;
      this.me = me;
      clearTimeout(this._expiry);
      this._expiry = setTimeout(() => this.end('Your sign-in has expired. Sign in again.'), Math.max(0, tokens.expiresAt - Date.now()));
      this._set({ busy: false });
      this.onReady(me);
    } catch (err) {
      this.end(err instanceof SignInError ? err.message : 'Sign-in did not complete. Sign in again.');
    }
  }

  private _set(changes: Partial<Pick<StaffSession, 'busy' | 'problem'>>): void {
    Object.assign(this, changes);
    this.host.requestUpdate();
  }
}
