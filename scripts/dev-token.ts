// Prints a bearer token for a demo user, signed with the standalone development issuer's key.
//   npm run token -- hub.coordinator
import { join } from 'node:path';
import { DEMO_USERS } from '../libs/platform/src/auth/demo-users';
import { DevIssuer } from '../libs/platform/src/auth/dev-issuer';

async function main() {
  const userId = process.argv[2];
  if (!userId) {
    console.error(`Usage: npm run token -- <user>\nDemo users: ${DEMO_USERS.map((u) => `${u.userId} (${u.role})`).join(', ')}`);
    process.exit(64);
  }
  const issuer = await DevIssuer.open(join(process.env.DATA_DIR ?? './data', 'dev-issuer-key.json'), process.env.NODE_ENV);
  const { accessToken } = await issuer.issue(userId);
  process.stdout.write(`${accessToken}\n`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
