/* One line of the staff audit trail: who (sub, name, role) did what (action, appointment ids), from where, under which request id */
INSERT INTO staff_audit (actor_sub, actor_name, actor_role, action, appointment_ids, request_id, client_address)
VALUES (${actorSub}, ${actorName}, ${actorRole}, ${action}, ${appointmentIds}::bigint[], ${requestId}, ${clientAddress})
