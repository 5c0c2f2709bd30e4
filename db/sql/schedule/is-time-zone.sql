/* Whether the text names a time zone the database knows (the doctors table checks the same) */
SELECT is_iana_timezone(${timezone}::text) AS known
