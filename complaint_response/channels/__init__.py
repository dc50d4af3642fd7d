"""Every door a complaint comes in through. `intake.intake` is the one path: validation, idempotency,
grading (by the Complaint's own validate), the acknowledgement (its Notification) and evidence live
there once; each channel module only turns its own input into intake's arguments."""
