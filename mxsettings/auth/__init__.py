"""Pure authentication logic, no I/O: the UIA state machine and the stage auth-dict builders."""
