/* Within the claiming transaction: if the relay stalls between statements longer than this, the server ends the session and the claimed rows are free again */
SELECT set_config('idle_in_transaction_session_timeout', ${idleMs}::text, true)
