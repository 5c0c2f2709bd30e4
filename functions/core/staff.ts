import type { Request, Response } from '@google-cloud/functions-framework';
import { config } from './config';
import { AuthenticationError, createIdentity, IssuerUnavailableError, requirePermission, type Identity, type Permission, type StaffActor } from './identity';
import { log } from './log';
import { currentRequest } from './request-context';
import type { RequestOrigin, StaffContext } from './staff-audit';

let shared: Identity | undefined;

/** The process's verifier, built once from the configuration (its key set is cached inside). */
export function identity(): Identity {
  if (!shared) {
    const c = config();
    shared = createIdentity({
      issuer: c.oidcIssuer,
      audience: c.oidcAudience,
      rolesClaim: c.oidcRolesClaim,
      doctorClaim: c.oidcDoctorClaim,
      serviceToken: c.staffToken,
    });
  }
  return shared;
}

/**
 * The staff member (or machine) behind a request, allowed to do `permission`; else a 401 with
 * its `WWW-Authenticate` challenge, a 503 with `Retry-After` when the issuer cannot be reached,
 * or a 403. The headers are set here because the error envelope is written after the throw,
 * and it keeps what it was already given.
 */
export async function staffActor(req: Request, res: Response, permission: Permission): Promise<StaffActor> {
  const actor = await authenticatedActor(req, res);
  requirePermission(actor, permission);
  if (actor.kind === 'service') {
    // The static credential is a machine's; each use is on the record under its own name.
    log.info('service credential used', { actor_sub: actor.sub, actor_role: 'service', permission, path: req.path });
  }
  return actor;
}

/** Whoever signed in, whatever their roles (401 or 503 as for staffActor, never 403). */
export async function authenticatedActor(req: Request, res: Response): Promise<StaffActor> {
  let actor: StaffActor;
  try {
    actor = await identity().authenticate(req.headers.authorization);
  } catch (err) {
    if (err instanceof AuthenticationError) {
      res.setHeader('WWW-Authenticate', err.challenge);
      log.info('staff request refused', { reason: err.reason, path: req.path });
    }
    if (err instanceof IssuerUnavailableError) {
      res.setHeader('Retry-After', '5');
      log.warn('the sign-in issuer could not be reached', { issuer: config().oidcIssuer });
    }
    throw err;
  }
  return actor;
}

/**
 * The request's id and the address it came from, for the audit trail. The address is the
 * connection's: behind Knative's queue-proxy that is the proxy, so the trail records the
 * X-Forwarded-For chain's first hop when the connection is from loopback (the queue-proxy
 * runs in the same pod) and the socket's address otherwise.
 */
export function requestOrigin(req: Request): RequestOrigin {
  const socket = req.socket?.remoteAddress ?? null;
  const forwarded = typeof req.headers['x-forwarded-for'] === 'string' ? req.headers['x-forwarded-for'].split(',')[0].trim() : '';
  const loopback = socket !== null && /^(127\.|::1$|::ffff:127\.)/.test(socket);
  return { requestId: currentRequest()?.requestId ?? null, clientAddress: (loopback && forwarded ? forwarded : socket)?.slice(0, 64) ?? null };
}

/** staffActor and requestOrigin together: who, and from where, for a staff action that is audited. */
export async function staffContext(req: Request, res: Response, permission: Permission): Promise<StaffContext> {
  return { actor: await staffActor(req, res, permission), ...requestOrigin(req) };
}
