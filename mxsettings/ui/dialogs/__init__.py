"""The authentication dialogs: the UI side of the UIA engine (``mxsettings.services.uia_driver``).

``DialogPrompter`` (``prompter.py``) implements the driver's ``Prompter`` with non-modal dialogs that never
block the event loop: ``PasswordDialog``, ``EmailDialog`` / ``PhoneDialog`` (prove one of the account's
addresses; resend with a rate-limit countdown) and ``FallbackDialog`` (any other stage on the server's page in
the system browser, finished by polling). Cancelling any of them raises ``mxsettings.errors.Cancelled``.
"""
