import { GuessBudget, type BudgetRule } from './guess-budget';
import { ACCOUNT_ADDRESS_RULE, ADDRESS_RULE, LoginThrottle } from './login-throttle';

/** Every account, across all addresses: 16 failures at once, then one per 6 minutes. */
export const ACCOUNT_BUDGET: BudgetRule = { burst: 16, intervalMs: 6 * 60 * 1000 };

/**
 * Sign-in limits in three layers (as OWASP advises, and as Keycloak or GitLab combine them):
 *
 * - one account from one address (ACCOUNT_ADDRESS_RULE): 5 free failures, then a lock that doubles
 *   from 1 s to 15 min. This is what stops one guesser, and it locks only that guesser out: the
 *   owner signing in from another address is not affected.
 * - one address across accounts (ADDRESS_RULE): 10 free failures, same growth; stops spraying.
 * - one account across all addresses (ACCOUNT_BUDGET): paces instead of locking, so a distributed
 *   guesser gets no more than 16 wrong guesses at once and one per 6 minutes after that.
 *
 * Bound per account, whatever the number of addresses: at most 16 + t / 6 min wrong guesses in
 * any window of length t, i.e. 26 in an hour, 36 in two, 256 a day. Before (one lock per account)
 * the best pattern (13 guesses, 30 min pause, again) gave 26 in the first hour, 52 in two and about
 * 550 a day; only in windows under ~37 min may the burst give up to 5 guesses more than that.
 * One address alone cannot spend the budget: its doubling lock allows 15 guesses in the first
 * 17 minutes and one per 15 minutes after (debt peaks at ~12 of 16), so a lone stranger never slows
 * the owner. A distributed guesser can; each 429 the owner then gets names a wait of at most 6 minutes.
 * Unknown accounts are limited by the same keys in the same way, so answers reveal nothing.
 */
export class SignInLimiter {
  private readonly pairs: LoginThrottle;
  private readonly addresses: LoginThrottle;
  private readonly accounts: GuessBudget;

  constructor(now: () => number) {
    this.pairs = new LoginThrottle(ACCOUNT_ADDRESS_RULE, now);
    this.addresses = new LoginThrottle(ADDRESS_RULE, now);
    this.accounts = new GuessBudget(ACCOUNT_BUDGET, now);
  }

  /** Milliseconds until `account` may be tried from `address` (a throttle key); 0 when it may now. */
  retryAfterMs(account: string, address: string): number {
    return Math.max(this.pairs.retryAfterMs(pairKey(account, address)), this.addresses.retryAfterMs(address), this.accounts.retryAfterMs(account));
  }

  /** Charges an attempt when it starts, so parallel guesses cannot outrun the limits while scrypt runs. */
  begin(account: string, address: string): void {
    this.pairs.fail(pairKey(account, address));
    this.addresses.fail(address);
    this.accounts.fail(account);
  }

  /**
   * The password was right but the second factor was not sent yet (totp_required): takes back only
   * this attempt's charge and keeps earlier failures, so asking without a code cannot reset the
   * count of wrong codes.
   */
  refund(account: string, address: string): void {
    this.pairs.undo(pairKey(account, address));
    this.addresses.undo(address);
    this.accounts.undo(account);
  }

  /** The attempt succeeded: forgets this address's failures on the account and gives the rest back. */
  succeeded(account: string, address: string): void {
    this.pairs.reset(pairKey(account, address));
    this.addresses.undo(address);
    // Only this attempt's charge: the owner's sign-in must not refill the budget a guesser spent.
    this.accounts.undo(account);
  }
}

// The address key never holds a NUL, so the pair is unambiguous.
const pairKey = (account: string, address: string) => `${address}\u0000${account}`;
