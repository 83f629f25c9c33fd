-- Issue 12: a send written in one round trip. The server read the ticket (with its row
-- version, `xmin`) when it checked access; it sends this call first in the same
-- simple-protocol query as the writes (one implicit transaction). It locks the ticket
-- as `lockTicket` does, and fails with SQLSTATE PR409 when the row changed since that
-- read, so the writes computed from it roll back and the server takes the locked path.
-- Under READ COMMITTED a concurrent writer makes the lock wait and then re-check the
-- newest row version, whose xmin differs.
CREATE FUNCTION parley_claim_ticket(ticket uuid, version text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM tickets WHERE id = ticket AND xmin::text = version FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'ticket % changed since it was read', ticket USING ERRCODE = 'PR409';
  END IF;
END
$$;
