// An option chain as the Options page lays it out (no browser dependency, so it is unit-tested under Node).

/** The chain's series grouped by expiry (ascending), each a list of strikes with its call and put. */
export function byExpiry(series) {
  const expiries = new Map();
  for (const s of series) {
    if (!expiries.has(s.expiry)) expiries.set(s.expiry, new Map());
    const strikes = expiries.get(s.expiry);
    if (!strikes.has(s.strike)) strikes.set(s.strike, { strike: s.strike, call: null, put: null });
    strikes.get(s.strike)[s.right] = s;
  }
  return [...expiries.entries()].sort((a, b) => a[0] - b[0]).map(([expiry, strikes]) => ({ expiry,
    strikes: [...strikes.values()].sort((a, b) => Number(a.strike) - Number(b.strike)) }));
}
