// A real OpenID Connect provider for the test suite: panva/oidc-provider (certified) on
// 127.0.0.1, with an in-memory account store the tests fill through /__test__/ endpoints.
//
// Usage: PORT=18150 CONTROL_TOKEN=secret node tests/oidc_provider/provider.mjs
// It prints "ready <issuer>" once it listens. Clients register themselves through dynamic
// client registration (POST /reg), as any relying party could. With DEV_CLIENT_ID and
// DEV_CLIENT_SECRET (`make oidc-demo`) it also knows one client and the demo people.
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 0);
const host = '127.0.0.1';
const controlToken = process.env.CONTROL_TOKEN || '';

// accountId -> { email, email_verified, groups, name, disabled }
const accounts = new Map();
// clientId -> { access_token, id_token, refresh_token } lifetimes in seconds
const lifetimes = new Map();

const ttlFor = (kind, fallback) => (ctx, token, client) => {
  const id = client?.clientId || token?.clientId;
  return lifetimes.get(id)?.[kind] ?? fallback;
};

async function findAccount(ctx, sub) {
  const account = accounts.get(sub);
  // A disabled or removed person has no account: sign-in and refresh are refused.
  if (!account || account.disabled) return undefined;
  return {
    accountId: sub,
    async claims() {
      return {
        sub,
        email: account.email,
        email_verified: Boolean(account.email_verified),
        name: account.name || sub,
        given_name: account.given_name || '',
        family_name: account.family_name || '',
        groups: account.groups || [],
      };
    },
  };
}

let issuer;
const server = createServer();
await new Promise((resolve) => server.listen(port, host, resolve));
issuer = `http://${host}:${server.address().port}`;

// `make oidc-demo`: one static client for a local `make run`, and the demo people's accounts.
const clients = [];
if (process.env.DEV_CLIENT_ID) {
  const site = process.env.DEV_SITE_URL || 'http://127.0.0.1:8000';
  clients.push({
    client_id: process.env.DEV_CLIENT_ID,
    client_secret: process.env.DEV_CLIENT_SECRET,
    redirect_uris: [`${site}/oidc/callback/`],
    post_logout_redirect_uris: [`${site}/accounts/login/`],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_post',
  });
  for (const login of ['admin', 'hq', 'steering', 'reviewer', 'field']) {
    accounts.set(login, { email: `${login}@example.org`, email_verified: true });
  }
  accounts.set('newcomer', { email: 'newcomer@example.org', email_verified: true });
  accounts.set('unverified', { email: 'field@example.org', email_verified: false });
}

const provider = new Provider(issuer, {
  clients,
  findAccount,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    groups: ['groups'],
  },
  scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
  features: {
    devInteractions: { enabled: true }, // a plain login form: any login, any password
    registration: { enabled: true }, // open dynamic client registration (RFC 7591)
    rpInitiatedLogout: { enabled: true },
    revocation: { enabled: true },
  },
  pkce: { required: () => true }, // the tracker must send PKCE
  // Refresh tokens for every client allowed the grant (bound to the provider session).
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  // A first-party application: consent is implied, so the grant is created without asking.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid offline_access email profile groups');
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
    await grant.save();
    return grant;
  },
  ttl: {
    AccessToken: ttlFor('access_token', 3600),
    IdToken: ttlFor('id_token', 3600),
    RefreshToken: ttlFor('refresh_token', 86400),
    AuthorizationCode: 60,
    Interaction: 3600,
    Session: 86400,
    Grant: 86400,
  },
  cookies: { keys: ['test-only-cookie-key'] },
});
provider.proxy = false;

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

// The test suite's control endpoints: add, change and disable accounts; set lifetimes.
provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/__test__/')) return next();
  if (ctx.get('x-control-token') !== controlToken) {
    ctx.status = 403;
    ctx.body = { error: 'forbidden' };
    return undefined;
  }
  const body = ctx.method === 'POST' ? await readJson(ctx.req) : {};
  let match;
  if (ctx.path === '/__test__/accounts' && ctx.method === 'POST') {
    accounts.set(body.id, { ...body });
    ctx.body = { ok: true };
  } else if ((match = ctx.path.match(/^\/__test__\/accounts\/([^/]+)\/disable$/))) {
    const account = accounts.get(decodeURIComponent(match[1]));
    if (account) account.disabled = true;
    ctx.body = { ok: Boolean(account) };
  } else if ((match = ctx.path.match(/^\/__test__\/accounts\/([^/]+)\/delete$/))) {
    ctx.body = { ok: accounts.delete(decodeURIComponent(match[1])) };
  } else if (ctx.path === '/__test__/lifetimes' && ctx.method === 'POST') {
    lifetimes.set(body.client_id, body);
    ctx.body = { ok: true };
  } else {
    ctx.status = 404;
    ctx.body = { error: 'not_found' };
  }
  return undefined;
});

server.on('request', provider.callback());
process.stdout.write(`ready ${issuer}\n`);

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
