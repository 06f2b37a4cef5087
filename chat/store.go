package chat

// The statements on the package's tables: chat_conversations, chat_messages, chat_reads.
const (
	// conversationColumns are what scanConversation reads.
	conversationColumns = `id, request_id, offer_id, buyer_id, seller_id, dispute_id, created_at`
	// insertConversation opens an offer's conversation unless it exists.
	insertConversation = `INSERT INTO chat_conversations (id, request_id, offer_id, buyer_id, seller_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (offer_id) WHERE dispute_id IS NULL DO NOTHING`
	// insertDisputeConversation opens a dispute's three-way conversation unless it exists.
	insertDisputeConversation = `INSERT INTO chat_conversations (id, request_id, offer_id, buyer_id, seller_id, dispute_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dispute_id) DO NOTHING`
	// conversationByDispute reads a dispute's conversation.
	conversationByDispute = `SELECT ` + conversationColumns + ` FROM chat_conversations WHERE dispute_id = $1`
	// conversationByID reads one conversation.
	conversationByID = `SELECT ` + conversationColumns + ` FROM chat_conversations WHERE id = $1`
	// conversationByOffer reads an offer's conversation.
	conversationByOffer = `SELECT ` + conversationColumns + ` FROM chat_conversations WHERE offer_id = $1 AND dispute_id IS NULL`

	// messageColumns are what scanMessage reads.
	messageColumns = `id, conversation_id, seq, sender_id, kind, body, attachments, system, created_at, edited_at, deleted_at`
	// insertMessage adds a message with its room seq.
	insertMessage = `INSERT INTO chat_messages (id, conversation_id, seq, sender_id, kind, body, attachments, system_key, system, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	// lockMessage reads a conversation's message and locks it for an edit or a delete.
	lockMessage = `SELECT ` + messageColumns + ` FROM chat_messages WHERE conversation_id = $1 AND id = $2 FOR UPDATE`
	// editMessage changes a message's text.
	editMessage = `UPDATE chat_messages SET body = $2, edited_at = $3 WHERE id = $1`
	// deleteMessage blanks a message; its row (and seq) stay.
	deleteMessage = `UPDATE chat_messages SET body = '', attachments = '{}', deleted_at = $2 WHERE id = $1`
	// messagesAfter is a page of a conversation's messages after a seq, oldest first.
	messagesAfter = `SELECT ` + messageColumns + ` FROM chat_messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`
	// lastMessageSeq is the seq of a conversation's last message (0 with none).
	lastMessageSeq = `SELECT coalesce(max(seq), 0) FROM chat_messages WHERE conversation_id = $1`
	// lastPaymentStep is the last payment timeline seq written as a system message of a payment.
	lastPaymentStep = `SELECT coalesce(max((system->>'paymentSeq')::int), 0) FROM chat_messages
		WHERE conversation_id = $1 AND kind = 'system' AND system->>'payment' = $2`

	// markRead moves a party's read receipt forward, never back; it returns the receipt's seq.
	markRead = `INSERT INTO chat_reads (conversation_id, user_id, last_read_seq, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (conversation_id, user_id) DO UPDATE SET last_read_seq = greatest(chat_reads.last_read_seq, excluded.last_read_seq),
		updated_at = excluded.updated_at RETURNING last_read_seq`
	// myConversations is a page of user $1's conversations, the most recently active first (the
	// last message's time, or the opening's), after the cursor ($2, $3) when $2 is set, with the
	// user's receipt, unread count and the last message's seq.
	myConversations = `SELECT c.id, c.request_id, c.offer_id, c.buyer_id, c.seller_id, c.created_at,
		coalesce(r.last_read_seq, 0),
		(SELECT count(*) FROM chat_messages m WHERE m.conversation_id = c.id AND m.deleted_at IS NULL
			AND m.sender_id IS DISTINCT FROM $1 AND m.seq > coalesce(r.last_read_seq, 0)),
		coalesce(l.seq, 0), coalesce(l.created_at, c.created_at) AS active_at
	FROM chat_conversations c
	LEFT JOIN chat_reads r ON r.conversation_id = c.id AND r.user_id = $1
	LEFT JOIN LATERAL (SELECT seq, created_at FROM chat_messages m WHERE m.conversation_id = c.id
		ORDER BY seq DESC LIMIT 1) l ON true
	WHERE (c.buyer_id = $1 OR c.seller_id = $1)
		AND ($2::timestamptz IS NULL OR (coalesce(l.created_at, c.created_at), c.id) < ($2, $3::uuid))
	ORDER BY active_at DESC, c.id DESC LIMIT $4`

	// lastRead is a user's receipt (0 without one).
	lastRead = `SELECT coalesce((SELECT last_read_seq FROM chat_reads WHERE conversation_id = $1 AND user_id = $2), 0)`
	// unreadCount counts the messages after a user's receipt that others wrote.
	unreadCount = `SELECT count(*) FROM chat_messages m WHERE m.conversation_id = $1 AND m.deleted_at IS NULL
		AND m.sender_id IS DISTINCT FROM $2
		AND m.seq > coalesce((SELECT last_read_seq FROM chat_reads WHERE conversation_id = $1 AND user_id = $2), 0)`
)
