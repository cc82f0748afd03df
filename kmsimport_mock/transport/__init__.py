"""HTTP in, HTTP out: the same protocol and backend behind a local endpoint
(:mod:`.server`) and behind ``requests`` (:mod:`.requests_adapter`), both through
:mod:`.dispatch`; :mod:`.persistence` keeps the endpoint's state across restarts."""
