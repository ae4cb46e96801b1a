import { useEffect, useState, type FormEvent } from "react";
import { fetchBoard, signGuestbook, type Board } from "./board.js";

export function App() {
  const [board, setBoard] = useState<Board>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    fetchBoard().then(setBoard, (reason: unknown) => setError(String(reason)));
  }, []);

  async function sign(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await signGuestbook(String(form.get("author")), String(form.get("message")));
      setBoard(await fetchBoard());
    } catch (reason) {
      setError(String(reason));
    }
  }

  return (
    <main>
      <h1>Guestbook</h1>
      {error && <p role="alert">{error}</p>}
      {board === undefined ? (
        <p>Loading…</p>
      ) : (
        <>
          <p data-testid="greeting">
            {board.greeting.text} <small>(from {board.greeting.servedBy})</small>
          </p>
          <ul data-testid="entries">
            {board.entries.map((entry) => (
              <li key={entry.id}>
                <strong>{entry.author}</strong>: {entry.message}
              </li>
            ))}
          </ul>
          <p>
            <small data-testid="meta">
              API v{board.apiVersion} · visit {board.visits}
            </small>
          </p>
        </>
      )}
      <form onSubmit={sign}>
        <input name="author" placeholder="Your name" required />
        <input name="message" placeholder="Say something" required />
        <button type="submit">Sign</button>
      </form>
    </main>
  );
}
