-- Gateway schema v2: the signatures of the pulls taken in the last minutes,
-- so that a pull captured and sent again is refused, after a restart of the
-- gateway too. Each is kept until the clock check would refuse its pull
-- anyway (twice signing.MaxSkew after it was taken).
CREATE TABLE pull_signatures (
  digest     TEXT PRIMARY KEY, -- SHA-256 of the signature header, in hex
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX pull_signatures_expiry ON pull_signatures(expires_at);
