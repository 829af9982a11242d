"""The secretariat's pages: dashboard, meetings (with their days, panels and moderators),
the deliverables tracker and the compliance report, one module per page family
(``_common`` holds what they share).

Staff (secretariat, Office of the PGA, co-facilitators) read every page. Changes need
the secretariat, except panel moderators, which the Office of the PGA may also appoint
and remove (OP 17: the President appoints). Every change goes through a service: a
refusal under a hard rule of the mandate (``MandateViolation``) is shown at the top of
the form with the OP's words and answered 422, with what the user typed kept and
nothing changed; a soft rule (geographical balance, OP 17) warns after saving.

The modules are named for their families, like the views they hold (``meetings``,
``deliverables``...), so this package re-exports nothing: a view of the same name would
shadow its module. ``phases.urls_secretariat`` names each view by its module.
"""
