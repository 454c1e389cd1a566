// A real OpenID Connect provider for the sign-in tests: npm `oidc-provider` (OpenID Certified) on a loopback port over
// HTTPS with a self-signed certificate made at start (Microsoft.Identity.Web refuses http authorities). Two issuers:
//   https://127.0.0.1:PORT/oidc                 a plain provider (Keycloak, ADFS), `sub` and `groups`
//   https://127.0.0.1:PORT/{tenant}/v2.0        shaped like Entra ID's v2.0 endpoint: `tid`, `oid`, `roles`
// Clients register themselves with Dynamic Client Registration (initial access token below), so each test app names
// its own redirect URIs. Prints one JSON line on stdout when it listens; stops when stdin closes.
//
// Test-only switch: POST /_test/tamper {"client_id", "aud"?, "iss"?} makes the token endpoint hand that client an
// id_token re-signed with the provider's own key but another audience or issuer, to prove the app checks both.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import mount from 'koa-mount';
import Provider from 'oidc-provider';

export const REGISTRATION_TOKEN = 'backoffice-test-registration';
const TENANT = process.env.OIDC_TEST_TENANT ?? '8d3c1f0e-5b7a-4c2e-9a61-0f4d2b7e9c11';

// Staff of the test directory: one per role, a second clerk (the four-eyes witness), one without any role.
const USERS = [
  { login: 'sachbearbeitung@stadt.test', password: 'Verzeichnis-Passwort-1', name: 'Clara Clerk', roles: ['Clerk'], groups: ['g-ausgabe-sachbearbeitung'], oid: '11111111-1111-4111-8111-111111111111' },
  { login: 'zeugin@stadt.test', password: 'Verzeichnis-Passwort-1', name: 'Zoe Zeugin', roles: ['Clerk'], groups: ['g-ausgabe-sachbearbeitung'], oid: '55555555-5555-4555-8555-555555555555' },
  { login: 'teamleitung@stadt.test', password: 'Verzeichnis-Passwort-1', name: 'Tim Teamleitung', roles: ['Supervisor'], groups: ['g-ausgabe-teamleitung'], oid: '22222222-2222-4222-8222-222222222222' },
  { login: 'it-admin@stadt.test', password: 'Verzeichnis-Passwort-1', name: 'Ada Admin', roles: ['Admin'], groups: ['g-ausgabe-admin'], oid: '33333333-3333-4333-8333-333333333333' },
  { login: 'ohne-rolle@stadt.test', password: 'Verzeichnis-Passwort-1', name: 'Otto Ohnerolle', roles: [], groups: ['g-kantine'], oid: '44444444-4444-4444-8444-444444444444' },
];

const tamper = new Map();

function certificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oidc-provider-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { dir, key: fs.readFileSync(key), cert: fs.readFileSync(cert), certPath: cert };
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>${title}</title></head>`
    + `<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function escape(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function createProvider(issuer, mountPath, entra, signingKey) {
  const account = (user) => ({
    accountId: user.oid,
    async claims() {
      return entra
        ? { sub: user.oid, oid: user.oid, tid: TENANT, name: user.name, preferred_username: user.login, email: user.login, roles: user.roles }
        : { sub: user.oid, name: user.name, preferred_username: user.login, email: user.login, groups: user.groups };
    },
  });
  const provider = new Provider(issuer, {
    jwks: { keys: [signingKey] },
    findAccount: (ctx, id) => {
      const user = USERS.find((u) => u.oid === id);
      return user ? account(user) : undefined;
    },
    claims: {
      openid: ['sub', 'oid', 'tid', 'roles', 'groups'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
    },
    // Claims of the granted scopes in the id_token itself, as Entra ID, ADFS and Keycloak do.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: REGISTRATION_TOKEN },
      rpInitiatedLogout: {
        enabled: true,
        // No "do you want to sign out?" question: the form posts itself, as Entra ID's sign-out does.
        logoutSource: async (ctx, form) => {
          const withAnswer = form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>');
          ctx.body = page('Abmelden', `${withAnswer}<script>document.getElementById('op.logoutForm').submit();</script>`);
        },
        postLogoutSuccessSource: async (ctx) => { ctx.body = page('Abgemeldet', '<p>Sie sind abgemeldet.</p>'); },
      },
    },
    interactions: { url: (ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    // First-party app, consented by the directory's admins: no consent screen.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Fehler', `<p id="error">${escape(out.error)}: ${escape(out.error_description)}</p>`);
    },
    ttl: { Session: 8 * 3600, Interaction: 600, Grant: 8 * 3600, IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60 },
  });
  provider.proxy = false;
  return provider;
}

function signJwt(header, payload, privateKey) {
  const data = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${data}.${crypto.sign('sha256', Buffer.from(data), privateKey).toString('base64url')}`;
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

async function readForm(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

async function main() {
  const tls = certificate();
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

  const server = https.createServer({ key: tls.key, cert: tls.cert });
  await new Promise((resolve) => server.listen(Number(process.env.OIDC_TEST_PORT ?? 0), '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${server.address().port}`;

  const mounts = [
    { path: '/oidc', entra: false },
    { path: `/${TENANT}/v2.0`, entra: true },
  ].map((m) => ({ ...m, provider: createProvider(`${origin}${m.path}`, m.path, m.entra, signingKey) }));

  const app = new Koa();

  // The sign-in page (the provider's own interaction, with real passwords).
  app.use(async (ctx, next) => {
    const mounted = mounts.find((m) => ctx.path.startsWith(`${m.path}/interaction/`));
    if (!mounted) return next();
    const { provider } = mounted;
    ctx.set('cache-control', 'no-store');
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (ctx.method === 'POST') {
      const form = await readForm(ctx.req);
      const user = USERS.find((u) => u.login === form.get('login'));
      if (!user || user.password !== form.get('password')) {
        ctx.type = 'html';
        ctx.body = loginPage(details.uid, mounted.path, form.get('login'), true);
        return undefined;
      }
      // The login prompt is the only one (consent comes from loadExistingGrant).
      await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: user.oid } }, { mergeWithLastSubmission: false });
      return undefined;
    }
    ctx.type = 'html';
    ctx.body = loginPage(details.uid, mounted.path, details.params.login_hint, false);
    return undefined;
  });

  app.use(async (ctx, next) => {
    // Browsers ask for it on every page; an empty answer keeps the test's console clean.
    if (ctx.path === '/favicon.ico') {
      ctx.status = 204;
      return undefined;
    }
    if (ctx.path === '/_test/tamper' && ctx.method === 'POST') {
      const body = await readJson(ctx.req);
      tamper.set(body.client_id, body);
      ctx.status = 204;
      return undefined;
    }
    await next();
    // Re-sign a tampered id_token for a client the test named.
    if (ctx.path.endsWith('/token') && ctx.status === 200 && ctx.body?.id_token) {
      const [header, payload] = ctx.body.id_token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url')));
      const change = tamper.get(payload.aud);
      if (change) {
        ctx.body = { ...ctx.body, id_token: signJwt(header, { ...payload, ...(change.aud ? { aud: change.aud } : {}), ...(change.iss ? { iss: change.iss } : {}) }, privateKey) };
      }
    }
    return undefined;
  });

  for (const m of mounts) app.use(mount(m.path, m.provider));

  server.on('request', app.callback());
  process.stdout.write(`${JSON.stringify({
    origin,
    plainIssuer: `${origin}/oidc`,
    entraInstance: `${origin}/`,
    tenant: TENANT,
    entraIssuer: `${origin}/${TENANT}/v2.0`,
    certificate: tls.certPath,
    registrationToken: REGISTRATION_TOKEN,
  })}\n`);

  const stop = () => {
    server.close();
    fs.rmSync(tls.dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

function loginPage(uid, mountPath, login, failed) {
  return page('Anmeldung am Verzeichnis', `${failed ? '<p id="login-error" role="alert">Benutzername oder Passwort falsch.</p>' : ''}`
    + `<form method="post" action="${mountPath}/interaction/${escape(uid)}" autocomplete="off">`
    + `<label for="login">Benutzername</label><input id="login" name="login" value="${escape(login)}">`
    + '<label for="password">Kennwort</label><input id="password" name="password" type="password">'
    + '<button type="submit">Weiter</button></form>');
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
