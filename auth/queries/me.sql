-- The signed-in user's own profile (sqlc; see ../doc.go).

-- name: UpdateProfile :one
-- Changes the fields given (NULL keeps a field as it is).
UPDATE users SET
    display_name = coalesce(sqlc.narg(display_name), display_name),
    bio          = coalesce(sqlc.narg(bio), bio),
    locale       = coalesce(sqlc.narg(locale), locale),
    roles        = coalesce(sqlc.narg(roles)::text[], roles),
    updated_at   = @now::timestamptz
WHERE id = @id
RETURNING *;
