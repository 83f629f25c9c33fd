/**
 * The notices of a settings card: saved settings that cannot be used (and what happens
 * then), and what the last action did.
 */
export function SettingsNotices(props: {
  problem: string | null;
  /** What applies while the saved settings cannot be used, and what to do. */
  meanwhile: string;
  done: string | null;
}) {
  return (
    <>
      {props.problem ? (
        <p className="inline-error" role="alert">
          The saved settings cannot be used: {props.problem}. {props.meanwhile}
        </p>
      ) : null}
      {props.done ? (
        <p className="form-success" role="status">
          {props.done}
        </p>
      ) : null}
    </>
  );
}

/** What became of a test message: accepted by `by`, or the reason it was not sent. */
export function TestResult(props: { result: { ok: boolean; error: string | null }; by: string }) {
  return (
    <p role="status" className={props.result.ok ? 'form-success' : 'form-error'}>
      {props.result.ok ? `Sent: ${props.by} accepted it.` : `Not sent: ${props.result.error}`}
    </p>
  );
}
