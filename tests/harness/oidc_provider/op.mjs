// A real OpenID provider (oidc-provider) on loopback for the SSO integration tests.
//
//   node op.mjs <port> <redirect_uri>[,<redirect_uri>...]
//   (or OIDC_OP_PORT / OIDC_OP_REDIRECT_URIS in the environment; OIDC_OP_CLIENT_SECRET overrides the secret)
//
// One static confidential client, `synapse` (client_secret_basic), whose redirect URIs are Synapse's
// `<public_baseurl>_synapse/client/oidc/callback`: oidc-provider compares them exactly for web clients, so
// the harness passes every homeserver that will use this provider. Any login name with the password
// PASSWORD signs in; the login name becomes `sub` and `preferred_username`, so Synapse's
// `localpart_template: "{{ user.preferred_username }}"` maps it to @<login>:localhost.
//
// The interaction pages are our own (devInteractions off): GET /interaction/:uid shows a login form, POST
// /interaction/:uid/login checks it, and the second round (consent) is granted without asking, because a
// test plays the browser and there is nobody to click "Allow".
//
// Everything is in memory (keys, sessions, grants): each start is a fresh provider. The process exits when
// its stdin closes, so it never outlives the harness that started it (even if that one is killed).

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

import { Provider } from 'oidc-provider';

const HOST = '127.0.0.1';
const CLIENT_ID = 'synapse';
const PASSWORD = 'oidc-pass';
const MAX_FORM_BYTES = 16 * 1024;

const port = Number(process.argv[2] ?? process.env.OIDC_OP_PORT ?? 0);
const redirectUris = (process.argv[3] ?? process.env.OIDC_OP_REDIRECT_URIS ?? '')
  .split(',')
  .map((uri) => uri.trim())
  .filter(Boolean);
const clientSecret = process.env.OIDC_OP_CLIENT_SECRET ?? 'synapse-secret';

if (!Number.isInteger(port) || port <= 0 || port > 65535 || redirectUris.length === 0) {
  console.error('usage: node op.mjs <port> <redirect_uri>[,<redirect_uri>...]');
  process.exit(2);
}

const issuer = `http://${HOST}:${port}`;

// A fresh RSA key per start: Synapse verifies the id_token with RS256 (its default) from our JWKS, and no
// key file has to be shipped or kept secret.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'ci-rs256' };

const configuration = {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    profile: ['preferred_username', 'name'],
  },
  // Put the profile claims into the id_token too (as Keycloak and most IdPs do): Synapse maps the user from
  // the id_token unless told to call userinfo, and the default (true) would leave preferred_username empty.
  conformIdTokenClaims: false,
  features: {
    // Our own /interaction routes below replace the built-in development pages.
    devInteractions: { enabled: false },
  },
  // Fixed lifetimes (seconds), long enough for a slow CI run; they also keep the provider from printing a
  // NOTICE for every artifact that uses a default.
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 120,
    Grant: 3600,
    IdToken: 600,
    Interaction: 600,
    Session: 3600,
  },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, preferred_username: sub, name: `Test user ${sub}` };
      },
    };
  },
  interactions: {
    url(ctx, interaction) {
      return `/interaction/${interaction.uid}`;
    },
  },
};

const provider = new Provider(issuer, configuration);
const providerHandler = provider.callback();

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sendHtml(res, status, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>CI OIDC</title></head><body>${body}</body></html>`);
}

function loginForm(uid, clientId, error) {
  const message = error ? `<p class="error">${escapeHtml(error)}</p>` : '';
  return `<h1>Sign in to CI OIDC</h1><p>Client: ${escapeHtml(clientId)}</p>${message}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<input name="login" autocomplete="username" autofocus>
<input name="password" type="password" autocomplete="current-password">
<button type="submit">Sign in</button>
</form>`;
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) {
      throw new Error('form too large');
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// The consent round: grant exactly what the provider says is still missing, then resume the authorization.
async function autoConsent(req, res, details) {
  const { prompt, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) {
    grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  }
  if (prompt.details.missingOIDCClaims) {
    grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  }
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const savedGrantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId: savedGrantId } }, {
    mergeWithLastSubmission: true,
  });
}

async function handleInteraction(req, res, url) {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
  if (!match) {
    sendHtml(res, 404, '<p>Not found</p>');
    return;
  }
  const [, uid, isLogin] = match;
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    sendHtml(res, 400, '<p>This sign-in page does not belong to your session.</p>');
    return;
  }
  if (!isLogin && req.method === 'GET') {
    if (details.prompt.name === 'login') {
      sendHtml(res, 200, loginForm(uid, details.params.client_id));
    } else if (details.prompt.name === 'consent') {
      await autoConsent(req, res, details);
    } else {
      sendHtml(res, 400, `<p>Unsupported prompt ${escapeHtml(details.prompt.name)}</p>`);
    }
    return;
  }
  if (isLogin && req.method === 'POST' && details.prompt.name === 'login') {
    const form = await readForm(req);
    const login = (form.get('login') ?? '').trim();
    if (!/^[a-z0-9._=-]+$/.test(login) || form.get('password') !== PASSWORD) {
      sendHtml(res, 401, loginForm(uid, details.params.client_id, 'Wrong login name or password.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: login } }, {
      mergeWithLastSubmission: false,
    });
    return;
  }
  sendHtml(res, 405, '<p>Method not allowed</p>');
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', issuer);
  if (!url.pathname.startsWith('/interaction/')) {
    providerHandler(req, res);
    return;
  }
  handleInteraction(req, res, url).catch((err) => {
    // An unknown or expired interaction (no cookie, a replayed uid) lands here: show it, keep running.
    console.error(`interaction error: ${err?.name}: ${err?.message}`);
    if (!res.headersSent) {
      sendHtml(res, 400, `<p>Sign-in failed: ${escapeHtml(err?.name ?? 'error')}</p>`);
    } else {
      res.end();
    }
  });
});

server.listen(port, HOST, () => {
  console.log(`READY ${issuer}`);
});

// The harness holds our stdin open; EOF means it is gone (even after a SIGKILL), so we go too.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
