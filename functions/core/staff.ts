import type { Request, Response } from '@google-cloud/functions-framework';
import { config } from './config';
import { AuthenticationError, createIdentity, IssuerUnavailableError, requirePermission, type Identity, type Permission, type StaffActor } from './identity';
import { log } from './log';

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
