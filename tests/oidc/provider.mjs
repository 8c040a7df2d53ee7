// A real OpenID Provider for the sign-in tests: npm's oidc-provider (a certified
// implementation) on loopback, with one confidential client and a few accounts.
//
//   node tests/oidc/provider.mjs PORT REDIRECT_URI POST_LOGOUT_URI ACCOUNTS_JSON
//
// ACCOUNTS_JSON maps a login name to its claims ({"lead-a": {"email": ..., ...}}). The
// development login page (devInteractions) accepts any password; an unknown login name is
// an account with only a subject. Prints "ready <issuer>" once it listens.
import Provider from 'oidc-provider';

const [port, redirectUri, postLogoutUri, accountsJson] = process.argv.slice(2);
const accounts = JSON.parse(accountsJson || '{}');
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'mwi-tests',
      client_secret: 'mwi-tests-secret-not-a-real-one',
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username', 'nickname'],
  },
  cookies: { keys: ['mwi-tests-cookie-key'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...(accounts[id] || {}) };
      },
    };
  },
});
provider.proxy = false;

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
