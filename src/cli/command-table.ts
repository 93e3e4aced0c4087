import type { Command } from 'commander';

/** Adds one group of commands (and their options and actions) to the program. */
export type RegisterCommands = (program: Command) => void;

export interface CommandEntry {
  name: string;
  /** How `skillproof --help` lists it: name, options and arguments, as Commander prints them. */
  term: string;
  description: string;
  /** The module that defines it, imported only when this command runs or its own help is asked for. */
  load: () => Promise<RegisterCommands>;
}

/**
 * Every top-level command, so that `skillproof --help` and an unknown command need no command module, and running
 * one command imports only its own module (the server, the database and the verifier take seconds to load).
 * test/cli/lazy.test.ts checks that the terms and descriptions here are those of the modules.
 */
export const commandTable: CommandEntry[] = [
  {
    name: 'serve',
    term: 'serve [options]',
    description: 'Start the web app, API and background workers (migrates the database first)',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  {
    name: 'db',
    term: 'db',
    description: 'Database maintenance',
    load: async () => (await import('./commands/db.js')).dbCommand,
  },
  {
    name: 'demo',
    term: 'demo',
    description: 'Demo data',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
  {
    name: 'admin',
    term: 'admin',
    description: 'Instance admins (direct database access)',
    load: async () => (await import('./commands/admin.js')).adminCommand,
  },
  {
    name: 'users',
    term: 'users',
    description: 'Accounts on a running instance',
    load: async () => (await import('./commands/users.js')).usersCommand,
  },
  ...(['login', 'logout', 'whoami'] as const).map((name) => ({
    name,
    term: `${name} [options]`,
    description: {
      login: 'Sign in and save an API token for later commands (in ~/.config/skillproof, mode 600)',
      logout: 'Revoke and forget the saved API token',
      whoami: 'Show the signed-in account and its organizations',
    }[name],
    load: async () => (await import('./commands/login.js')).loginCommands,
  })),
  ...(
    [
      [
        'verify',
        'verify [options] <input>',
        'Verify a credential: a JSON file, a VC-JWT, a baked PNG/SVG, a URL, or - for standard input. Exit 0 verified, 1 not verified, 2 bad input',
      ],
      ['issue', 'issue [options] <file>', "Sign a credential as an organization, through the instance's VC-API"],
      [
        'bake',
        'bake [options] <credential> <image>',
        'Bake a credential (JSON or VC-JWT file) into a PNG or SVG badge image',
      ],
      ['unbake', 'unbake <image>', 'Print the credential baked into a PNG or SVG image'],
      ['keys', 'keys', 'Signing keys'],
    ] as const
  ).map(([name, term, description]) => ({
    name,
    term,
    description,
    load: async () => (await import('./commands/credentials.js')).credentialCommands,
  })),
  ...(
    [
      [
        'revoke',
        'revoke [options] <credential>',
        'Revoke a credential you issued, for good, with the reason verifiers and the learner see; the status list is republished at once',
      ],
      [
        'suspend',
        'suspend [options] <credential>',
        'Suspend a credential you issued (reversible with unsuspend); verifiers see it as suspended; the status list is republished at once',
      ],
      [
        'unsuspend',
        'unsuspend [options] <credential>',
        'Lift the suspension of a credential you issued; the status list is republished at once',
      ],
    ] as const
  ).map(([name, term, description]) => ({
    name,
    term,
    description,
    load: async () => (await import('./commands/status.js')).statusCommands,
  })),
  {
    name: 'issue-bulk',
    term: 'issue-bulk [options] <file>',
    description:
      'Issue credentials from a CSV (email, name, achievement, score, date, narrative, evidence_url): preview, then issue with progress. Exit 0 all issued, 1 some rows failed, 2 bad file',
    load: async () => (await import('./commands/bulk.js')).bulkCommand,
  },
  {
    name: 'skills',
    term: 'skills',
    description: 'Skill taxonomies',
    load: async () => (await import('./commands/skills.js')).skillsCommand,
  },
  {
    name: 'advice',
    term: 'advice',
    description: 'Reskilling advice: the least effort that closes a skills gap',
    load: async () => (await import('./commands/advice.js')).adviceCommand,
  },
  {
    name: 'analytics',
    term: 'analytics',
    description: 'Outcome analytics (runs locally, no server)',
    load: async () => (await import('./commands/analytics.js')).analyticsCommand,
  },
  {
    name: 'jobs',
    term: 'jobs',
    description: 'Jobs and projects, and their candidates ranked by verified evidence',
    load: async () => (await import('./commands/jobs.js')).jobsCommand,
  },
  {
    name: 'elm',
    term: 'elm',
    description: 'European Learning Model (ELM v3) documents (runs locally, no server)',
    load: async () => (await import('./commands/elm.js')).elmCommand,
  },
];
