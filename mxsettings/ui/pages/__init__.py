"""The settings pages shown as tabs of a signed-in account.

The page contract (the main window hosts pages through it):

* ``Page(account, *, prompter, open_url, parent=None)``: ``account`` is the ``services.accounts.Account`` the
  page works on, ``prompter`` the UIA ``Prompter`` (``ui.dialogs.prompter.DialogPrompter`` in the app) that
  answers whatever authentication the server asks for, ``open_url`` opens a web page in the system browser
  (``QDesktopServices.openUrl`` in the app; tests record the URL).
* ``page.runner`` is the page's ``TaskRunner``: the window connects ``runner.busy_changed`` and
  ``runner.status`` to its status area. Every network call of the page runs there; no widget awaits.
* ``page.load()`` fills the page from what the account already knows (``account.capabilities``,
  ``account.auth_metadata``), so the first paint needs no request; ``page.apply()`` starts the page's action.
* Widgets are built in code; every input and button has a stable ``objectName`` and an accessible name;
  strings go through ``self.tr()``; Enter in a field submits.

Pages: ``password_page.PasswordPage`` (the Password tab), ``close_account_page.CloseAccountPage`` (signal
``account_closed(Account)`` after the server deactivated the account), ``capability_page.CapabilityPage``
(the explanation a topic shows when the server does not allow it).
"""
