/**
 * The API's types, generated from api/openapi.yaml by openapi-typescript: do not edit by hand.
 * Regenerate with `npm run contract:types`; test/api/contract.test.ts fails when it is stale.
 */

export interface paths {
    "/api/doctors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every doctor
         * @description Served from each instance's memory, dropped when a doctor or their hours change; public,
         *     so a CDN may keep it a minute (`Cache-Control: public, max-age=60, stale-while-revalidate=300`)
         *     and revalidate with the ETag.
         */
        get: operations["listDoctors"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/doctors/{id}/slots": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        /**
         * A doctor's slots on one day of their own clock
         * @description Slots are ordered by `start` and each lasts the appointment type's length (the
         *     doctor's default type, whose length is `slot_minutes`, unless `appointment_type_id`
         *     names another). The day's hours are the date's override if it has one, else the weekly
         *     hours (several ranges: a break is the gap between two); a clinic holiday has none, and a
         *     slot touching the doctor's time off is not listed. Slots the booking rules refuse (past,
         *     within the minimum notice, further ahead than the rule's horizon, by default
         *     `BOOKING_HORIZON_DAYS`) are listed with `available: false`, as a booking would refuse
         *     them with 422; a wall-clock time the clocks skip on a daylight-saving day is no slot,
         *     one they repeat is offered once. A day outside 1970..2199 is 400.
         *
         *     Served from each instance's memory, dropped by NOTIFY when any appointment of the doctor
         *     changes (at most SLOT_CACHE_TTL_MS old otherwise); a CDN may keep it 5 s and serve it
         *     stale for 25 s while it revalidates with the ETag. A stale `available` ends in a 409
         *     `slot_taken`, after which a client fetches the day again.
         */
        get: operations["listSlots"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                    id: components["parameters"]["DoctorId"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/doctors/{id}/days": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        /**
         * The days of a month with a free slot, on the doctor's own clock
         * @description The month's calendar days (read in the doctor's time zone) that have at least one free,
         *     bookable slot of the appointment type (the doctor's default type unless
         *     `appointment_type_id` names another), each with how many; ascending, days without a free
         *     slot left out. Free means what `GET /api/doctors/{id}/slots` lists as `available`: within
         *     the booking rules and not booked, so a holiday, a closed override or a day of time off is
         *     never listed. An unknown or inactive doctor, or a type that is not theirs or not active,
         *     is 404; a malformed month is 400.
         *
         *     Cached like the slots (each instance's memory, dropped by NOTIFY when the doctor's
         *     appointments or schedule change; `Cache-Control: public, max-age=5,
         *     stale-while-revalidate=25`, revalidated with the ETag).
         */
        get: operations["listBookableDays"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                    id: components["parameters"]["DoctorId"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The first available slots across doctors
         * @description The earliest free, bookable slots (as `GET /api/doctors/{id}/slots` would list them
         *     `available`) across active doctors, ordered by `start` then `doctor_id`, at most 3 per
         *     doctor so the list offers a choice of doctors, at most `limit` in all. `from` and `to`
         *     are calendar dates read on each doctor's own clock, both inclusive; `from` defaults to
         *     today (UTC), `to` to `from` + 13 days. `to` before `from`, or more than 61 days after it
         *     (62 days in all), is 400 with an issue on `to`. Without `appointment_type` each doctor's
         *     default type is searched; with it, only doctors with an active type of that name (any
         *     case). An empty `items` means nothing is free.
         *
         *     Never from an instance's memory, as it spans doctors; a CDN may keep it 5 s and serve it
         *     stale for 25 s while it revalidates with the ETag. A stale slot ends in a 409 `slot_taken`.
         */
        get: operations["firstAvailable"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/appointments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The staff listing
         * @description Ordered by `appointment_time` then `id`. Without `status` every status is listed. A
         *     malformed or impossible `cursor` (one no earlier page gave) or filter is 400.
         */
        get: operations["listAppointments"];
        put?: never;
        /** Book a slot */
        post: operations["bookAppointment"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/appointments/{reference}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's reference. A malformed one gets the same 404 as an unknown one. */
                reference: components["parameters"]["Reference"];
            };
            cookie?: never;
        };
        /** An appointment, for the holder of its reference */
        get: operations["findAppointment"];
        put?: never;
        post?: never;
        /**
         * Cancel, for the holder of its reference
         * @description Cancelling an already cancelled appointment is 200 again and emits no second event. An
         *     optional body `{ "reason" }` records why. A patient may cancel until the doctor's cancel
         *     cutoff before the appointment (the booking rules in the database, `booking_rules` with
         *     `doctor_booking_rules` overriding it; 2 hours unless the clinic sets another), then 422
         *     `not_bookable` naming the rule; staff (signed in, role reception) may cancel at any time.
         */
        delete: operations["cancelAppointment"];
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The appointment's reference. A malformed one gets the same 404 as an unknown one. */
                    reference: components["parameters"]["Reference"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/appointments/{reference}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's reference. A malformed one gets the same 404 as an unknown one. */
                reference: components["parameters"]["Reference"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel with a reason (the body is required; `{}` gives none)
         * @description As `DELETE /api/appointments/{reference}`, for clients that cannot send a body with DELETE.
         */
        post: operations["cancelAppointmentWithReason"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The appointment's reference. A malformed one gets the same 404 as an unknown one. */
                    reference: components["parameters"]["Reference"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/appointments/{reference}/reschedule": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's reference. A malformed one gets the same 404 as an unknown one. */
                reference: components["parameters"]["Reference"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move the appointment to another slot of its doctor
         * @description One transaction: the same id and reference at the new time, and the old time free once it
         *     commits. The appointment keeps its type and so its length; the new time must be a slot
         *     of that type the booking rules allow (minimum notice, horizon, holidays, time off,
         *     breaks). 409 `slot_taken` leaves the appointment as it was. 422 `not_bookable`, naming
         *     the rule, for a cancelled appointment, a patient's move within the doctor's reschedule
         *     cutoff of its start (the booking rules, 2 hours unless the clinic sets another; staff
         *     signed in with role reception may move it at any time), or a time that is no such slot.
         *     Emits `health.booking.appointment.rescheduled.v1` with the old and the new times.
         *     `appointment_type_id` is refused: a different type is a new booking.
         */
        post: operations["rescheduleAppointment"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The appointment's reference. A malformed one gets the same 404 as an unknown one. */
                    reference: components["parameters"]["Reference"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/booking-challenge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A proof-of-work for one anonymous booking (ALTCHA v2)
         * @description While `BOOKING_CHALLENGE` is on, an anonymous booking must carry a solved challenge in the
         *     `Booking-Challenge` header: base64url of the JSON `{ challenge, solution }`, where
         *     `solution` is what altcha-lib's `solveChallenge` returns (about a second of hashing in a
         *     browser; `BOOKING_CHALLENGE_WORK` sets the work). Each solution is accepted once, within
         *     five minutes. Always served, so a client can solve ahead.
         */
        get: operations["bookingChallenge"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/book-appointment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The seed's path for booking, kept for existing clients
         * @deprecated
         */
        post: operations["bookAppointmentAlias"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/appointments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The seed's path for the staff listing, now behind the staff token
         * @deprecated
         */
        get: operations["listAppointmentsAlias"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the staff page is signed in as
         * @description The caller's `sub`, name, roles and (for a clinician) doctor, and what the staff page may
         *     offer them. Any valid sign-in gets 200, even one with no role here (`roles: []`); each
         *     endpoint still checks its own permission.
         */
        get: operations["whoAmI"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff/appointments/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's id. A malformed id, an unknown one and (for a clinician) another doctor's all get the same 404. */
                id: components["parameters"]["StaffAppointmentId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move a visit on (check-in, seen, did not come, cancelled for the patient)
         * @description booked → arrived → completed, booked → no_show, booked → cancelled, and no other way (the
         *     database refuses the rest: 409 `invalid_transition`). The same status again is 200 and
         *     changes nothing. `arrived`, `completed` and `no_show`: reception and clinicians (their own
         *     doctor's); `cancelled`: reception, with a `reason` (kept as an internal note). Each change
         *     queues a CloudEvent `health.booking.appointment.<status>.v1` (no patient data) and writes
         *     an audit row in the same transaction. Another doctor's appointment is 404 for a clinician.
         */
        post: operations["changeVisitStatus"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The appointment's id. A malformed id, an unknown one and (for a clinician) another doctor's all get the same 404. */
                    id: components["parameters"]["StaffAppointmentId"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff/appointments/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's id. A malformed id, an unknown one and (for a clinician) another doctor's all get the same 404. */
                id: components["parameters"]["StaffAppointmentId"];
            };
            cookie?: never;
        };
        /** An appointment's internal notes (reception, clinicians), oldest first; audited */
        get: operations["listNotes"];
        put?: never;
        /** Add an internal note (reception, clinicians); never changed once written; audited */
        post: operations["addNote"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The appointment's id. A malformed id, an unknown one and (for a clinician) another doctor's all get the same 404. */
                    id: components["parameters"]["StaffAppointmentId"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The staff audit trail (admin), newest first
         * @description One row per staff read of patient data (a listing page, an appointment, its notes) and
         *     per staff write, with who (sub, name, role), what (action, appointment ids), when, the
         *     request id and the client address; no patient name or contact. Reading it is recorded too.
         */
        get: operations["listStaffAudit"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff/appointments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's id. A malformed id, an unknown one and (for a clinician) another doctor's all get the same 404. */
                id: number;
            };
            cookie?: never;
        };
        /**
         * One appointment by id, for staff
         * @description Roles `admin`, `reception` and `clinician` (a clinician only their own doctor's: another
         *     doctor's appointment is 404, as for one that does not exist). `patient_email` and
         *     `patient_phone` are included for `reception` and `clinician` only. The `service`
         *     credential (STAFF_TOKEN) gets 403.
         */
        get: operations["readAppointmentForStaff"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The appointment's id. A malformed id, an unknown one and (for a clinician) another doctor's all get the same 404. */
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/staff/appointments/{id}/erasure": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Any appointment of the patient whose data is to be erased. A malformed or unknown id gets 404. */
                id: number;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erase one patient's data on request (role `admin`)
         * @description Removes the patient's name, e-mail and phone from this appointment and from every other
         *     with the same contact (matched by its keyed hash), keeping doctor, times and status. Each
         *     erased appointment gets an audit line naming the admin, never the patient. It does not
         *     cancel a future booking. No request body.
         */
        post: operations["erasePatientData"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Any appointment of the patient whose data is to be erased. A malformed or unknown id gets 404. */
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/doctors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every doctor with their whole schedule (admin), inactive ones too, by name and id */
        get: operations["listAdminDoctors"];
        put?: never;
        /** Add a doctor (admin); they get a default type "Appointment" of slot_minutes, and no hours yet */
        post: operations["createDoctor"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/doctors/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        /** One doctor with their whole schedule (admin) */
        get: operations["readAdminDoctor"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                    id: components["parameters"]["DoctorId"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        /**
         * Change a doctor's name, specialty, time zone, or deactivate them (admin)
         * @description `active: false` deactivates: no slots, not listed publicly; never a delete, and their
         *     appointments stay (listed in `affected`). A new time zone reads the same hours on
         *     another clock, so bookings may fall outside them.
         */
        patch: operations["updateDoctor"];
        trace?: never;
    };
    "/api/admin/doctors/{id}/appointment-types": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add an appointment type to a doctor (admin)
         * @description A type longer than every range of the doctor's weekly hours is 400 (issue on `minutes`).
         *     `is_default: true` makes it the default in place of the other (at most 240 minutes: it
         *     is also the doctor's `slot_minutes`).
         */
        post: operations["addAppointmentType"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                    id: components["parameters"]["DoctorId"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/appointment-types/{typeId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An appointment type's id; an unknown one is 404. */
                typeId: number;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description An appointment type's id; an unknown one is 404. */
                    typeId: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        /**
         * Change an appointment type (admin)
         * @description Making one type the default un-defaults the other. The default cannot be deactivated or
         *     un-defaulted (422 `not_bookable`: a booking that names no type must find one); make
         *     another type the default instead.
         */
        patch: operations["updateAppointmentType"];
        trace?: never;
    };
    "/api/admin/doctors/{id}/hours": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Replace a doctor's weekly hours (admin); several ranges a day are breaks
         * @description Ranges of one weekday must not overlap and each must end after it starts (400, issues like
         *     `hours.2.ends_at`). Bookings the new hours no longer cover are listed in `affected`,
         *     including one made while the change was being written.
         */
        put: operations["replaceWeeklyHours"];
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                    id: components["parameters"]["DoctorId"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/doctors/{id}/overrides/{date}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
                /** @description A calendar date, YYYY-MM-DD, 1970-01-01..2199-12-31; on each doctor's own calendar. */
                date: components["parameters"]["AdminDate"];
            };
            cookie?: never;
        };
        get?: never;
        /** Other hours on one date in place of the weekday's, or closed (an empty list) (admin) */
        put: operations["setDateOverride"];
        post?: never;
        /** The date goes back to its weekday's hours (admin); 404 when it had no override */
        delete: operations["removeDateOverride"];
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                    id: components["parameters"]["DoctorId"];
                    /** @description A calendar date, YYYY-MM-DD, 1970-01-01..2199-12-31; on each doctor's own calendar. */
                    date: components["parameters"]["AdminDate"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/doctors/{id}/time-off": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Time off from one instant to another (admin); no slot touching it is offered */
        post: operations["addTimeOff"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                    id: components["parameters"]["DoctorId"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/time-off/{timeOffId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A time off's id; an unknown one is 404. */
                timeOffId: number;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a time off (admin) */
        delete: operations["removeTimeOff"];
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A time off's id; an unknown one is 404. */
                    timeOffId: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/holidays": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The clinic's holidays, by date (admin) */
        get: operations["listHolidays"];
        put?: never;
        /**
         * A clinic holiday closes the date for every doctor, on each doctor's calendar (admin)
         * @description A date that already is a holiday is 400 (issue on `date`).
         */
        post: operations["addHoliday"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/holidays/{date}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A calendar date, YYYY-MM-DD, 1970-01-01..2199-12-31; on each doctor's own calendar. */
                date: components["parameters"]["AdminDate"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a clinic holiday (admin); 404 when the date is none */
        delete: operations["removeHoliday"];
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A calendar date, YYYY-MM-DD, 1970-01-01..2199-12-31; on each doctor's own calendar. */
                    date: components["parameters"]["AdminDate"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The clinic's booking rules (admin) */
        get: operations["readClinicRules"];
        /** Replace the clinic's booking rules (admin); every field is given */
        put: operations["setClinicRules"];
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/doctors/{id}/rules": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        get?: never;
        /** Replace a doctor's own booking rules (admin); a null or absent field takes the clinic's */
        put: operations["setDoctorRules"];
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                    id: components["parameters"]["DoctorId"];
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/internal/outbox-relay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Relay every due event and tidy up (the PingSource's minute)
         * @description Triggered by a Knative PingSource every minute; its CloudEvent body is not read. The path
         *     is internal: cluster-local on Knative, and not reachable from other hosts under `npm start`.
         */
        post: operations["relayOutbox"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/internal/send-reminders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send every reminder that is due (the PingSource's run)
         * @description Triggered by a Knative PingSource; its body is not read. Each booked appointment is
         *     reminded once per appointment time, REMINDER_HOURS (default 24) before it. Cluster-local
         *     on Knative; `npm start` runs it on a timer and does not serve this path.
         */
        post: operations["sendReminders"];
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness probe, on every function
         * @description The state a background check keeps (it never queues behind the pool): 200 when the
         *     database answers and takes writes, 503 with the reason otherwise (unreachable, read-only,
         *     disk full or the pool exhausted as requests found it, a statement timing out). It
         *     recovers by itself. render-page never touches the database: it is ready once it can make
         *     its page.
         */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/livez": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness probe, on every function
         * @description The process runs and serves HTTP. It never touches the database, so a database outage restarts no pod.
         */
        get: operations["liveness"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document, restricted to the function's own paths
         * @description Under `npm start`, every path.
         */
        get: operations["contract"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics of the process, on every function
         * @description Prometheus's text exposition format (functions/core/metrics.ts lists the metrics; no label
         *     carries patient data, a reference or a token). Answered only to a direct request, as a
         *     scrape of the pod is: a request that came through a proxy (it carries `X-Forwarded-For`
         *     or `Forwarded`, as every request through Knative's queue-proxy does) gets the 404 of a
         *     path that is not there, so a public URL does not publish the clinic's traffic.
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The patient's page, with `<booking-widget>` */
        get: operations["bookingPage"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/book": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The patient's page, with `<booking-widget>` */
        get: operations["bookingPageAlias"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/staff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The staff page, with `<appointments-table>`
         * @description The page itself is public; staff sign in through the clinic's OpenID provider, and the token is kept only in memory.
         */
        get: operations["staffPage"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/manage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The patient's page for one booking, with `<booking-manage>`
         * @description The link in every notice e-mail: `/manage#<reference>`. The reference is in the URL
         *     fragment, which browsers never send, so it is in no request line, proxy log or Referer
         *     (the page also sends `Referrer-Policy: no-referrer`); the page shows the appointment and
         *     offers a move to another free time and a cancel.
         */
        get: operations["managePage"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A hashed asset name, as the page and `dist/web/manifest.json` give it. */
                file: string;
            };
            cookie?: never;
        };
        /** A hashed script or style sheet, cacheable for good */
        get: operations["asset"];
        put?: never;
        post?: never;
        delete?: never;
        /**
         * The methods of this path
         * @description 204 with `Allow`; with CORS headers when the Origin is in ALLOWED_ORIGINS.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A hashed asset name, as the page and `dist/web/manifest.json` give it. */
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                204: components["responses"]["Options"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description Each code travels with one status, except `invalid_request`, also used for 405.
         * @enum {string}
         */
        ErrorCode: "invalid_request" | "unauthorized" | "not_found" | "slot_taken" | "request_in_progress" | "payload_too_large" | "unsupported_media_type" | "not_bookable" | "idempotency_key_reused" | "internal" | "forbidden" | "unavailable" | "invalid_transition" | "too_many_requests" | "challenge_required";
        FieldIssue: {
            /** @description Dot path of the field (`patient_name`, `cursor`); empty for the body as a whole. */
            path: string;
            message: string;
        };
        /** @description The one error envelope. Messages never contain patient data, SQL or a stack. */
        Error: {
            error: components["schemas"]["ErrorCode"];
            message: string;
            issues?: components["schemas"]["FieldIssue"][];
        };
        InvalidRequestError: components["schemas"]["Error"] & {
            /** @constant */
            error?: "invalid_request";
        };
        UnauthorizedError: components["schemas"]["Error"] & {
            /** @constant */
            error?: "unauthorized";
        };
        NotFoundError: components["schemas"]["Error"] & {
            /** @constant */
            error?: "not_found";
        };
        ConflictError: components["schemas"]["Error"] & {
            /** @enum {unknown} */
            error?: "slot_taken" | "request_in_progress";
        };
        PayloadTooLargeError: components["schemas"]["Error"] & {
            /** @constant */
            error?: "payload_too_large";
        };
        UnsupportedMediaTypeError: components["schemas"]["Error"] & {
            /** @constant */
            error?: "unsupported_media_type";
        };
        UnprocessableError: components["schemas"]["Error"] & {
            /** @enum {unknown} */
            error?: "not_bookable" | "idempotency_key_reused";
        };
        InvalidTransitionError: components["schemas"]["Error"] & {
            /** @constant */
            error?: "invalid_transition";
        };
        ForbiddenError: components["schemas"]["Error"] & {
            /** @constant */
            error?: "forbidden";
        };
        ChallengeRequiredError: components["schemas"]["Error"] & {
            /** @constant */
            error?: "challenge_required";
        };
        BookingChallenge: {
            parameters: {
                /** @constant */
                algorithm: "SHA-256";
                nonce: string;
                salt: string;
                cost: number;
                keyLength: number;
                keyPrefix: string;
                keySignature?: string;
                expiresAt?: number;
            };
            signature: string;
        };
        TooManyRequestsError: components["schemas"]["Error"] & {
            /** @constant */
            error?: "too_many_requests";
        };
        UnavailableError: components["schemas"]["Error"] & {
            /** @constant */
            error?: "unavailable";
        };
        InternalError: components["schemas"]["Error"] & {
            /** @constant */
            error?: "internal";
        };
        DoctorId: number;
        /**
         * Format: date-time
         * @description An instant in UTC with milliseconds and `Z`.
         */
        UtcTime: string;
        /** @description An active doctor; an inactive one is not listed. */
        Doctor: {
            id: components["schemas"]["DoctorId"];
            name: string;
            specialty: string;
            /** @description IANA zone, e.g. `Australia/Melbourne`; slot dates and times are read on this clock. */
            timezone: string;
            slot_minutes: number;
            /** @description The doctor's active appointment types, the default first, then by name. */
            appointment_types: components["schemas"]["DoctorAppointmentType"][];
        };
        DoctorAppointmentType: {
            id: number;
            name: string;
            /** @description How long one appointment of the type is. */
            minutes: number;
            /** @description The type a booking or search that names none is. */
            is_default: boolean;
        };
        DoctorList: {
            items: components["schemas"]["Doctor"][];
        };
        Slot: {
            start: components["schemas"]["UtcTime"];
            end: components["schemas"]["UtcTime"];
            /** @description False when past or booked. */
            available: boolean;
        };
        DaySlots: {
            doctor_id: components["schemas"]["DoctorId"];
            /** Format: date */
            date: string;
            timezone: string;
            /** @description The type whose slots these are. */
            appointment_type_id: number;
            slots: components["schemas"]["Slot"][];
        };
        BookableDays: {
            doctor_id: components["schemas"]["DoctorId"];
            month: string;
            /** @description The doctor's IANA zone, whose calendar the dates are on. */
            timezone: string;
            /** @description The type whose free slots are counted. */
            appointment_type_id: number;
            /** @description Ascending; only days with a free slot. */
            days: {
                /** Format: date */
                date: string;
                free_slots: number;
            }[];
        };
        FirstAvailable: {
            /** Format: date */
            from: string;
            /** Format: date */
            to: string;
            /** @description Ordered by start then doctor_id; at most 3 per doctor. */
            items: components["schemas"]["AvailableSlot"][];
        };
        AvailableSlot: {
            doctor_id: components["schemas"]["DoctorId"];
            doctor_name: string;
            specialty: string;
            /** @description The doctor's IANA zone. */
            timezone: string;
            appointment_type_id: number;
            appointment_type_name: string;
            minutes: number;
            start: components["schemas"]["UtcTime"];
            end: components["schemas"]["UtcTime"];
        };
        /**
         * @description booked → arrived → completed, booked → no_show, booked → cancelled.
         * @enum {string}
         */
        AppointmentStatus: "booked" | "arrived" | "completed" | "no_show" | "cancelled";
        /** @description An appointment as a staff write answers it; the patient's reference is never part of it once references are kept only as hashes. */
        VisitAppointment: {
            /** Format: int64 */
            id: number;
            reference?: string;
            patient_name: string | null;
            doctor_id: components["schemas"]["DoctorId"];
            appointment_time: components["schemas"]["UtcTime"];
            end_time: components["schemas"]["UtcTime"];
            status: components["schemas"]["AppointmentStatus"];
            created_at: components["schemas"]["UtcTime"];
        };
        StatusChange: {
            /** @enum {string} */
            status: "arrived" | "completed" | "no_show" | "cancelled";
            /** @description Needed with cancelled; kept as an internal note. */
            reason?: string;
        };
        StaffNote: {
            /** Format: int64 */
            id: number;
            /** Format: int64 */
            appointment_id: number;
            author: {
                sub: string;
                name: string | null;
            };
            body: string;
            created_at: components["schemas"]["UtcTime"];
        };
        /** @description A wall-clock time on the doctor's clock, HH:MM. */
        AdminTimeOfDay: string;
        /** @description The end of a range, HH:MM; `24:00` is midnight at the end of the day. */
        AdminEndOfRange: string;
        /** @description From `starts_at` to `ends_at` (later) on the doctor's clock. */
        AdminTimeRange: {
            starts_at: components["schemas"]["AdminTimeOfDay"];
            ends_at: components["schemas"]["AdminEndOfRange"];
        };
        AdminWeeklyRange: {
            /** @description ISO: 1 = Monday ... 7 = Sunday. */
            weekday: number;
            starts_at: components["schemas"]["AdminTimeOfDay"];
            ends_at: components["schemas"]["AdminEndOfRange"];
        };
        AdminAppointmentType: {
            id: number;
            name: string;
            minutes: number;
            is_default: boolean;
            active: boolean;
        };
        AdminOverride: {
            /** Format: date */
            date: string;
            /** @description The date's hours in place of the weekday's; empty when the doctor does not work that date. */
            ranges: components["schemas"]["AdminTimeRange"][];
        };
        AdminTimeOff: {
            /** Format: int64 */
            id: number;
            starts_at: components["schemas"]["UtcTime"];
            ends_at: components["schemas"]["UtcTime"];
            reason: string | null;
        };
        /** @description The clinic's booking rules. Notice and cutoffs are minutes before an appointment's start. */
        BookingRules: {
            min_notice_minutes: number;
            /** @description How far ahead a slot may be booked; null: BOOKING_HORIZON_DAYS. */
            horizon_days: number | null;
            cancel_cutoff_minutes: number;
            reschedule_cutoff_minutes: number;
        };
        /** @description A doctor's own booking rules; a field null takes the clinic's. */
        DoctorRules: {
            min_notice_minutes: number | null;
            horizon_days: number | null;
            cancel_cutoff_minutes: number | null;
            reschedule_cutoff_minutes: number | null;
        };
        /** @description A doctor with their whole schedule, as the admin API shows it. */
        AdminDoctor: {
            id: components["schemas"]["DoctorId"];
            name: string;
            specialty: string;
            /** @description IANA zone; the hours and dates are read on this clock. */
            timezone: string;
            /** @description The default type's length. */
            slot_minutes: number;
            /** @description False: no slots, not listed publicly; the appointments stay. */
            active: boolean;
            /** @description The default first, then by name. */
            appointment_types: components["schemas"]["AdminAppointmentType"][];
            /** @description By weekday, then start. */
            hours: components["schemas"]["AdminWeeklyRange"][];
            /** @description From the doctor's today on, by date. */
            overrides: components["schemas"]["AdminOverride"][];
            /** @description Not yet ended, by start. */
            time_off: components["schemas"]["AdminTimeOff"][];
            rules: components["schemas"]["DoctorRules"];
        };
        /** @description A booked future appointment the schedule no longer covers; no patient data. */
        AffectedAppointment: {
            /** Format: int64 */
            id: number;
            doctor_id: components["schemas"]["DoctorId"];
            start: components["schemas"]["UtcTime"];
            end: components["schemas"]["UtcTime"];
        };
        AdminDoctorChange: {
            doctor: components["schemas"]["AdminDoctor"];
            /** @description By start, then id. */
            affected: components["schemas"]["AffectedAppointment"][];
        };
        Holiday: {
            /** Format: date */
            date: string;
            name: string;
        };
        AdminNewDoctor: {
            name: string;
            specialty: string;
            /** @description An IANA zone the database knows, like Europe/Berlin; else 400. */
            timezone: string;
            /** @default 30 */
            slot_minutes: number;
        };
        AdminDoctorPatch: {
            name?: string;
            specialty?: string;
            timezone?: string;
            active?: boolean;
        };
        AdminNewAppointmentType: {
            /** @description Unique among the doctor's types. */
            name: string;
            minutes: number;
            /** @default false */
            is_default: boolean;
        };
        AdminAppointmentTypePatch: {
            name?: string;
            minutes?: number;
            is_default?: boolean;
            active?: boolean;
        };
        AdminWeeklyHours: {
            /** @description Every range of the week; an empty list means no weekly hours. */
            hours: components["schemas"]["AdminWeeklyRange"][];
        };
        AdminDateOverride: {
            /** @description The date's hours; empty means closed that date. */
            ranges: components["schemas"]["AdminTimeRange"][];
        };
        AdminNewTimeOff: {
            /** Format: date-time */
            starts_at: string;
            /**
             * Format: date-time
             * @description After starts_at
             */
            ends_at: string;
            reason?: string | null;
        };
        StaffAuditPage: {
            items: {
                /** Format: int64 */
                id: number;
                at: components["schemas"]["UtcTime"];
                actor: {
                    sub: string;
                    name: string | null;
                    /** @enum {string} */
                    role: "admin" | "reception" | "clinician" | "service" | "none";
                };
                action: string;
                appointment_ids: number[];
                request_id: string | null;
                client_address: string | null;
            }[];
            next_cursor: string | null;
        };
        Appointment: {
            /** Format: int64 */
            id: number;
            /**
             * @description The patient's key to their booking: whoever holds it can look it up and cancel it.
             *     Unguessable (16 random bytes, base64url). The server keeps only its SHA-256: it is
             *     in the body when the booking is made (and replayed) and echoes the one the client
             *     sent on a lookup or cancellation.
             */
            reference: string;
            patient_name: string;
            doctor_id: components["schemas"]["DoctorId"];
            appointment_time: components["schemas"]["UtcTime"];
            end_time: components["schemas"]["UtcTime"];
            status: components["schemas"]["AppointmentStatus"];
            created_at: components["schemas"]["UtcTime"];
        };
        /**
         * @description An appointment in the staff listing: no reference (only its hash is stored), and
         *     `patient_name` null once retention or an erasure removed it. `patient_email` and
         *     `patient_phone` are present for the roles that may see contact details (`reception`,
         *     `clinician`) and absent for the others; null when not given or erased.
         */
        ListedAppointment: {
            /** Format: int64 */
            id: number;
            patient_name: string | null;
            patient_email?: string | null;
            patient_phone?: string | null;
            doctor_id: components["schemas"]["DoctorId"];
            appointment_time: components["schemas"]["UtcTime"];
            end_time: components["schemas"]["UtcTime"];
            status: components["schemas"]["AppointmentStatus"];
            created_at: components["schemas"]["UtcTime"];
        };
        Erasure: {
            /** @description Appointments of that patient (same e-mail or phone) whose name and contact were removed now; 0 when they already were. */
            erased: number;
        };
        RescheduleRequest: {
            /**
             * Format: date-time
             * @description One of the same doctor's future slots.
             */
            appointment_time: string;
        };
        CancelRequest: {
            /** @description One line of text */
            reason?: string;
        };
        ReminderReport: {
            sent: number;
            noAddress: number;
            failed: number;
            batches: number;
            /** @enum {string} */
            stoppedBy: "drained" | "budget" | "smtp_failing";
        };
        CancelledAppointment: components["schemas"]["Appointment"] & {
            /** @constant */
            status?: "cancelled";
        };
        /** @enum {string} */
        StaffRole: "admin" | "reception" | "clinician" | "service";
        StaffMe: {
            sub: string;
            name: string | null;
            roles: components["schemas"]["StaffRole"][];
            doctor_id: components["schemas"]["DoctorId"] | null;
            may: {
                list: boolean;
                /** @description False for a clinician: their own doctor only. */
                every_doctor: boolean;
                contact: boolean;
                audit: boolean;
            };
        };
        /**
         * @description An appointment as staff see it; the contact fields only for roles that may see them. No
         *     reference: the server keeps only its hash, so staff never hold a patient's key.
         *     `patient_name` (and the contact) are null once retention or an erasure removed them.
         */
        StaffAppointment: {
            /** Format: int64 */
            id: number;
            patient_name: string | null;
            patient_email?: string | null;
            patient_phone?: string | null;
            doctor_id: components["schemas"]["DoctorId"];
            appointment_time: components["schemas"]["UtcTime"];
            end_time: components["schemas"]["UtcTime"];
            status: components["schemas"]["AppointmentStatus"];
            created_at: components["schemas"]["UtcTime"];
        };
        AppointmentPage: {
            items: components["schemas"]["ListedAppointment"][];
            /** @description Null on the last page. */
            next_cursor: string | null;
        };
        /** @description Unknown fields are rejected (400), never stored. */
        BookingRequest: {
            /**
             * @description Trimmed; 1 to 100 characters (code points); no control characters, no bidi
             *     overrides, not made only of invisible characters.
             */
            patient_name: string;
            doctor_id: components["schemas"]["DoctorId"];
            /**
             * Format: date-time
             * @description One of the doctor's future slot starts, with an offset or `Z`.
             */
            appointment_time: string;
            /** @description One of the doctor's appointment types; absent or null, their default type. The booking lasts the type's length. */
            appointment_type_id?: number | null;
            /** @description An e-mail address of at most 254 characters; blank or null means not given. */
            patient_email?: string | null;
            /** @description Digits, spaces and `+ ( ) . -`, 5 to 32 characters; blank or null means not given. */
            patient_phone?: string | null;
        };
        Healthy: {
            /** @constant */
            ok: true;
        };
        Unhealthy: {
            /** @constant */
            ok: false;
            /**
             * @description Why; render-page, which has no database, never answers 503.
             * @enum {unknown}
             */
            reason?: "starting" | "unreachable" | "read_only" | "disk_full" | "pool_exhausted" | "overloaded";
        };
        RelayReport: {
            sent: number;
            failed: number;
            batches: number;
            /**
             * @description Why the run ended; `no_sink` without K_SINK, when events stay in the outbox.
             * @enum {string}
             */
            stopped_by: "drained" | "budget" | "sink_unreachable" | "no_sink";
            /** @description Events still unsent after the run. */
            pending: number;
            /** @description Of those, how many are due now. */
            due: number;
            idempotency_keys_forgotten: number;
            sent_events_pruned: number;
            /** @description Appointments that began over PATIENT_DATA_RETENTION_DAYS ago whose patient name and contact this run removed. */
            patient_data_erased: number;
            rate_limit_windows_pruned: number;
        };
        OpenApiDocument: {
            openapi: string;
            info: Record<string, never>;
            paths: Record<string, never>;
            components?: Record<string, never>;
        };
    };
    responses: {
        /**
         * @description The doctor as they are now, and `affected`: the booked future appointments of that
         *     doctor the schedule no longer covers (outside the hours, inside time off, on a holiday,
         *     or the doctor inactive), so the admin can move or cancel them with notice. No patient data.
         */
        AdminDoctorChanged: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["AdminDoctorChange"];
            };
        };
        /** @description The holiday, and the booked future appointments of every doctor the schedule no longer covers (none on a removal). */
        AdminHolidayChanged: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    holiday: components["schemas"]["Holiday"];
                    affected: components["schemas"]["AffectedAppointment"][];
                };
            };
        };
        /** @description The body the client holds (If-None-Match) is still current; no body. */
        NotModified: {
            headers: {
                ETag: components["headers"]["ETag"];
                "Cache-Control": components["headers"]["CacheControl"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description Booked (or an earlier booking with the same Idempotency-Key, replayed). */
        Booked: {
            headers: {
                Location: components["headers"]["Location"];
                "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Appointment"];
            };
        };
        /** @description The HTML page. */
        Page: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "text/html": string;
            };
        };
        /** @description The path's methods; CORS headers too for an allowed origin. */
        Options: {
            headers: {
                Allow: components["headers"]["Allow"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description A malformed parameter, header or body; `issues` names each field. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["InvalidRequestError"];
            };
        };
        /** @description No staff token, a refused one (bad signature, issuer, audience, expired, ...), or another scheme. */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnauthorizedError"];
            };
        };
        /** @description Nothing at this path, or no such doctor or appointment. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["NotFoundError"];
            };
        };
        /** @description The path exists but not with this method (API.md has no code of its own for it). */
        MethodNotAllowed: {
            headers: {
                Allow: components["headers"]["Allow"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["InvalidRequestError"];
            };
        };
        /** @description The slot was taken, or the first request with this Idempotency-Key is still in flight. */
        Conflict: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ConflictError"];
            };
        };
        /** @description The body is over 16 KiB. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["PayloadTooLargeError"];
            };
        };
        /** @description Not JSON, not UTF-8, or content-encoded. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnsupportedMediaTypeError"];
            };
        };
        /**
         * @description The time is not bookable (past, off the slot grid, outside working hours), or the
         *     Idempotency-Key was used for a different booking.
         */
        Unprocessable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnprocessableError"];
            };
        };
        /** @description The visit cannot move to that status from where it is. */
        InvalidTransition: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["InvalidTransitionError"];
            };
        };
        /** @description A valid staff sign-in whose role does not allow this. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ForbiddenError"];
            };
        };
        /** @description While BOOKING_CHALLENGE is on, the booking's Booking-Challenge is missing, wrong, expired or already used; get one from GET /api/booking-challenge. */
        ChallengeRequired: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ChallengeRequiredError"];
            };
        };
        /**
         * @description A limit on anonymous clients, shared by every instance (counted in PostgreSQL): bookings
         *     per client address (default 20 an hour) and per e-mail or phone (5 an hour); lookups and
         *     cancellations per address (30 a minute); failed staff sign-ins per address (10 a minute).
         *     `Retry-After` says when the window ends. Signed-in staff are not limited this way.
         */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["TooManyRequestsError"];
            };
        };
        /** @description Something it depends on (the database, the sign-in issuer) cannot be reached right now. */
        Unavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["UnavailableError"];
            };
        };
        /** @description Something failed on the server; nothing of it is shown. */
        Internal: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["InternalError"];
            };
        };
    };
    parameters: {
        /** @description A calendar date, YYYY-MM-DD, 1970-01-01..2199-12-31; on each doctor's own calendar. */
        AdminDate: string;
        /** @description A solved challenge from GET /api/booking-challenge, needed while BOOKING_CHALLENGE is on. */
        BookingChallenge: string;
        /** @description The appointment's id. A malformed id, an unknown one and (for a clinician) another doctor's all get the same 404. */
        StaffAppointmentId: number;
        /** @description An ETag from an earlier answer; 304 when it is still current. */
        IfNoneMatch: string;
        /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
        DoctorId: components["schemas"]["DoctorId"];
        /** @description The appointment's reference. A malformed one gets the same 404 as an unknown one. */
        Reference: string;
        /** @description A calendar day on the doctor's clock, 1970-01-01..2199-12-31. */
        SlotDate: string;
        /**
         * @description 1 to 128 visible ASCII characters, else 400. The same key with the same body answers the
         *     first booking again (201, `Idempotent-Replayed: true`, the appointment as it is now);
         *     with a different body it is 422 `idempotency_key_reused`; while the first request with
         *     the key is in flight another gets 409 `request_in_progress` with `Retry-After`. Only
         *     successful bookings are remembered, for at least 24 hours.
         */
        IdempotencyKey: string;
        DoctorIdFilter: components["schemas"]["DoctorId"];
        /** @description Inclusive bound on `appointment_time`, with an offset or `Z`. */
        From: string;
        /** @description Exclusive bound on `appointment_time`, with an offset or `Z`; later than `from`. */
        To: string;
        StatusFilter: components["schemas"]["AppointmentStatus"];
        Limit: number;
        /** @description The `next_cursor` of the page before; opaque. */
        Cursor: string;
    };
    requestBodies: {
        /** @description Optional. UTF-8 JSON `{ "reason" }`; without a body (or with Content-Length 0) no reason is kept. */
        Cancellation: {
            content: {
                "application/json": components["schemas"]["CancelRequest"];
            };
        };
        CancellationRequired: {
            content: {
                "application/json": components["schemas"]["CancelRequest"];
            };
        };
        /**
         * @description UTF-8 JSON of at most 16 KiB (413), sent as `application/json` with no charset or
         *     `charset=utf-8` and no `Content-Encoding` (else 415). Malformed JSON, invalid UTF-8 or a
         *     lone surrogate is 400; a missing field is reported as missing, an unknown one as unknown.
         */
        Booking: {
            content: {
                "application/json": components["schemas"]["BookingRequest"];
            };
        };
    };
    headers: {
        /** @description A strong tag of the body, the same from every instance for the same body. */
        ETag: string;
        /** @description How long a shared cache may keep the answer, and serve it stale while it revalidates. */
        CacheControl: string;
        /** @description The relative path of the appointment, `/api/appointments/<reference>`. */
        Location: string;
        /** @description Present on a replay of an earlier booking with the same Idempotency-Key. */
        IdempotentReplayed: "true";
        /** @description Seconds to wait before retrying; sent with `request_in_progress` and `unavailable`. */
        RetryAfter: number;
        /** @description The methods of the path, comma-separated, always with OPTIONS. */
        Allow: string;
        /** @description `Bearer error="invalid_token"` when a token was sent and refused; `Bearer` when none was sent (RFC 6750). */
        WWWAuthenticate: "Bearer" | "Bearer error=\"invalid_token\"";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listDoctors: {
        parameters: {
            query?: never;
            header?: {
                /** @description An ETag from an earlier answer; 304 when it is still current. */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The doctors, ordered by name then id. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DoctorList"];
                };
            };
            304: components["responses"]["NotModified"];
            400: components["responses"]["BadRequest"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listSlots: {
        parameters: {
            query: {
                /** @description A calendar day on the doctor's clock, 1970-01-01..2199-12-31. */
                date: components["parameters"]["SlotDate"];
                /** @description One of the doctor's appointment types; absent, their default type (404 for a type that is not theirs). */
                appointment_type_id?: string;
            };
            header?: {
                /** @description An ETag from an earlier answer; 304 when it is still current. */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The day's slots; no patient data. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DaySlots"];
                };
            };
            304: components["responses"]["NotModified"];
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listBookableDays: {
        parameters: {
            query: {
                /** @description A calendar month on the doctor's clock, 1970-01..2199-12. */
                month: string;
                /** @description One of the doctor's active appointment types; absent, their default type (404 for a type that is not theirs). */
                appointment_type_id?: string;
            };
            header?: {
                /** @description An ETag from an earlier answer; 304 when it is still current. */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The month's bookable days; no patient data. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookableDays"];
                };
            };
            304: components["responses"]["NotModified"];
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    firstAvailable: {
        parameters: {
            query?: {
                /** @description First calendar date searched, on each doctor's clock; default today (UTC). */
                from?: string;
                /** @description Last calendar date searched (inclusive), at most 61 days after `from`; default `from` + 13 days. */
                to?: string;
                /** @description Only doctors of this specialty (exact, any case). */
                specialty?: string;
                /** @description An appointment type's name (any case), e.g. `New patient`; absent, each doctor's default type. */
                appointment_type?: string;
                doctor_id?: components["parameters"]["DoctorIdFilter"];
                limit?: number;
            };
            header?: {
                /** @description An ETag from an earlier answer; 304 when it is still current. */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The first free slots; no patient data. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    "Cache-Control": components["headers"]["CacheControl"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FirstAvailable"];
                };
            };
            304: components["responses"]["NotModified"];
            400: components["responses"]["BadRequest"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listAppointments: {
        parameters: {
            query?: {
                doctor_id?: components["parameters"]["DoctorIdFilter"];
                /** @description Inclusive bound on `appointment_time`, with an offset or `Z`. */
                from?: components["parameters"]["From"];
                /** @description Exclusive bound on `appointment_time`, with an offset or `Z`; later than `from`. */
                to?: components["parameters"]["To"];
                status?: components["parameters"]["StatusFilter"];
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the page before; opaque. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    bookAppointment: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 1 to 128 visible ASCII characters, else 400. The same key with the same body answers the
                 *     first booking again (201, `Idempotent-Replayed: true`, the appointment as it is now);
                 *     with a different body it is 422 `idempotency_key_reused`; while the first request with
                 *     the key is in flight another gets 409 `request_in_progress` with `Retry-After`. Only
                 *     successful bookings are remembered, for at least 24 hours.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /** @description A solved challenge from GET /api/booking-challenge, needed while BOOKING_CHALLENGE is on. */
                "Booking-Challenge"?: components["parameters"]["BookingChallenge"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["Booking"];
        responses: {
            201: components["responses"]["Booked"];
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            428: components["responses"]["ChallengeRequired"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    findAppointment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's reference. A malformed one gets the same 404 as an unknown one. */
                reference: components["parameters"]["Reference"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The appointment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Appointment"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    cancelAppointment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's reference. A malformed one gets the same 404 as an unknown one. */
                reference: components["parameters"]["Reference"];
            };
            cookie?: never;
        };
        requestBody?: components["requestBodies"]["Cancellation"];
        responses: {
            /** @description The appointment, with status `cancelled`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelledAppointment"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    cancelAppointmentWithReason: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's reference. A malformed one gets the same 404 as an unknown one. */
                reference: components["parameters"]["Reference"];
            };
            cookie?: never;
        };
        requestBody: components["requestBodies"]["CancellationRequired"];
        responses: {
            /** @description The appointment, with status `cancelled`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelledAppointment"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    rescheduleAppointment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's reference. A malformed one gets the same 404 as an unknown one. */
                reference: components["parameters"]["Reference"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RescheduleRequest"];
            };
        };
        responses: {
            /** @description The appointment at its new time. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Appointment"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    bookingChallenge: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A signed challenge (deterministic mode, SHA-256). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingChallenge"];
                };
            };
            400: components["responses"]["BadRequest"];
            500: components["responses"]["Internal"];
        };
    };
    bookAppointmentAlias: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description 1 to 128 visible ASCII characters, else 400. The same key with the same body answers the
                 *     first booking again (201, `Idempotent-Replayed: true`, the appointment as it is now);
                 *     with a different body it is 422 `idempotency_key_reused`; while the first request with
                 *     the key is in flight another gets 409 `request_in_progress` with `Retry-After`. Only
                 *     successful bookings are remembered, for at least 24 hours.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /** @description A solved challenge from GET /api/booking-challenge, needed while BOOKING_CHALLENGE is on. */
                "Booking-Challenge"?: components["parameters"]["BookingChallenge"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: components["requestBodies"]["Booking"];
        responses: {
            201: components["responses"]["Booked"];
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            428: components["responses"]["ChallengeRequired"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listAppointmentsAlias: {
        parameters: {
            query?: {
                doctor_id?: components["parameters"]["DoctorIdFilter"];
                /** @description Inclusive bound on `appointment_time`, with an offset or `Z`. */
                from?: components["parameters"]["From"];
                /** @description Exclusive bound on `appointment_time`, with an offset or `Z`; later than `from`. */
                to?: components["parameters"]["To"];
                status?: components["parameters"]["StatusFilter"];
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the page before; opaque. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AppointmentPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    whoAmI: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed-in member of staff. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffMe"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    changeVisitStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's id. A malformed id, an unknown one and (for a clinician) another doctor's all get the same 404. */
                id: components["parameters"]["StaffAppointmentId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StatusChange"];
            };
        };
        responses: {
            /** @description The appointment after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VisitAppointment"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["InvalidTransition"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listNotes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's id. A malformed id, an unknown one and (for a clinician) another doctor's all get the same 404. */
                id: components["parameters"]["StaffAppointmentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The notes. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["StaffNote"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    addNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's id. A malformed id, an unknown one and (for a clinician) another doctor's all get the same 404. */
                id: components["parameters"]["StaffAppointmentId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    body: string;
                };
            };
        };
        responses: {
            /** @description The note. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffNote"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listStaffAudit: {
        parameters: {
            query?: {
                /** @description An actor's sub. */
                actor?: string;
                /** @description An action, like appointment.arrived or appointments.list. */
                action?: string;
                appointment_id?: number;
                /** @description Inclusive bound on `appointment_time`, with an offset or `Z`. */
                from?: components["parameters"]["From"];
                /** @description Exclusive bound on `appointment_time`, with an offset or `Z`; later than `from`. */
                to?: components["parameters"]["To"];
                limit?: components["parameters"]["Limit"];
                /** @description The `next_cursor` of the page before; opaque. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffAuditPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    readAppointmentForStaff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The appointment's id. A malformed id, an unknown one and (for a clinician) another doctor's all get the same 404. */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The appointment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StaffAppointment"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    erasePatientData: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Any appointment of the patient whose data is to be erased. A malformed or unknown id gets 404. */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What was erased. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Erasure"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listAdminDoctors: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The doctors. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AdminDoctor"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    createDoctor: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdminNewDoctor"];
            };
        };
        responses: {
            201: components["responses"]["AdminDoctorChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    readAdminDoctor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The doctor. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminDoctor"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    updateDoctor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdminDoctorPatch"];
            };
        };
        responses: {
            200: components["responses"]["AdminDoctorChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    addAppointmentType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdminNewAppointmentType"];
            };
        };
        responses: {
            201: components["responses"]["AdminDoctorChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    updateAppointmentType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An appointment type's id; an unknown one is 404. */
                typeId: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdminAppointmentTypePatch"];
            };
        };
        responses: {
            200: components["responses"]["AdminDoctorChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["Unprocessable"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    replaceWeeklyHours: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdminWeeklyHours"];
            };
        };
        responses: {
            200: components["responses"]["AdminDoctorChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    setDateOverride: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
                /** @description A calendar date, YYYY-MM-DD, 1970-01-01..2199-12-31; on each doctor's own calendar. */
                date: components["parameters"]["AdminDate"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdminDateOverride"];
            };
        };
        responses: {
            200: components["responses"]["AdminDoctorChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    removeDateOverride: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
                /** @description A calendar date, YYYY-MM-DD, 1970-01-01..2199-12-31; on each doctor's own calendar. */
                date: components["parameters"]["AdminDate"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["AdminDoctorChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    addTimeOff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AdminNewTimeOff"];
            };
        };
        responses: {
            201: components["responses"]["AdminDoctorChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    removeTimeOff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A time off's id; an unknown one is 404. */
                timeOffId: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["AdminDoctorChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    listHolidays: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The holidays. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Holiday"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    addHoliday: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Holiday"];
            };
        };
        responses: {
            201: components["responses"]["AdminHolidayChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    removeHoliday: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A calendar date, YYYY-MM-DD, 1970-01-01..2199-12-31; on each doctor's own calendar. */
                date: components["parameters"]["AdminDate"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["AdminHolidayChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    readClinicRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rules. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BookingRules"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    setClinicRules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BookingRules"];
            };
        };
        responses: {
            /** @description The rules as they are now; rules decide when a slot may be booked, not whether the schedule covers it, so nothing is affected. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rules: components["schemas"]["BookingRules"];
                        affected: unknown[];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    setDoctorRules: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A doctor's id; past 2147483647 it is 400 "too large", an unknown one is 404. */
                id: components["parameters"]["DoctorId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DoctorRules"];
            };
        };
        responses: {
            200: components["responses"]["AdminDoctorChanged"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    relayOutbox: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What the run did. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RelayReport"];
                };
            };
            /** @description Under `npm start`, which runs the relay on a timer and does not serve this path. */
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    sendReminders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description What the run did. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReminderReport"];
                };
            };
            /** @description Under `npm start`, which runs the reminders on a timer and does not serve this path. */
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            500: components["responses"]["Internal"];
            503: components["responses"]["Unavailable"];
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Healthy"];
                };
            };
            400: components["responses"]["BadRequest"];
            500: components["responses"]["Internal"];
            /** @description Not ready, with the reason. */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Unhealthy"];
                };
            };
        };
    };
    liveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Healthy"];
                };
            };
            400: components["responses"]["BadRequest"];
        };
    };
    contract: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An OpenAPI 3.1 document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenApiDocument"];
                };
            };
            400: components["responses"]["BadRequest"];
            500: components["responses"]["Internal"];
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
        };
    };
    bookingPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Page"];
            500: components["responses"]["Internal"];
        };
    };
    bookingPageAlias: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Page"];
            500: components["responses"]["Internal"];
        };
    };
    staffPage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Page"];
            500: components["responses"]["Internal"];
        };
    };
    managePage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Page"];
            500: components["responses"]["Internal"];
        };
    };
    asset: {
        parameters: {
            query?: never;
            header?: {
                /** @description gzip and brotli are served when accepted. */
                "Accept-Encoding"?: string;
            };
            path: {
                /** @description A hashed asset name, as the page and `dist/web/manifest.json` give it. */
                file: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The asset, possibly compressed. */
            200: {
                headers: {
                    "Cache-Control": "public, max-age=31536000, immutable";
                    "Content-Encoding"?: "gzip" | "br";
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                    "text/css": string;
                };
            };
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
        };
    };
}
