"""Where every module of the old layout goes (scripts/restructure_packages.py reads it).

Three kinds of rule, the first that matches wins:
- FILES: one file, by its old path (a rename, or a file that leaves its folder's default);
- PATTERNS: a file name pattern inside one folder (`twilio_*.py` in desktop/backends: the Twilio adapter),
  so a module another branch adds beside its kin lands with them;
- FOLDERS: a folder's default, for every file below it the rules above do not place (its sub-folders keep
  their shape under the new folder, unless a longer FOLDERS entry names them).
A file no rule places stops the script before anything moves (it lists them). A destination of None
deletes the file (an empty `__init__.py` of a folder that is split up).
"""

from __future__ import annotations

# The old top-level packages and what replaces them (dotted names and `python -m` are rewritten with these).
ROOTS = {
    "desktop": "agent_desktop",
    "mock_backends": "agent_desktop_mocks",
    "twilio_relay": "agent_desktop_relay",
    "pci_redaction": "agent_desktop_pci",
}

D = "agent_desktop"
M = "agent_desktop_mocks"

FILES: dict[str, str | None] = {
    # --- the desk app: the app level (what starts it, reads its configuration, picks its backends)
    "desktop/__init__.py": f"{D}/__init__.py",
    "desktop/__main__.py": f"{D}/__main__.py",
    "desktop/cli.py": f"{D}/app/cli.py",
    "desktop/demo.py": f"{D}/app/demo.py",
    "desktop/config.py": f"{D}/app/config.py",
    "desktop/backend_factory.py": f"{D}/app/backend_factory.py",
    # the service container the app builds and the desks and screens are handed
    "desktop/backends/container.py": f"{D}/services.py",
    # what this desk keeps on its machine: paths, the desk log, writes that may meet a full disk
    "desktop/local_paths.py": f"{D}/local/paths.py",
    "desktop/desk_log.py": f"{D}/local/desk_log.py",
    "desktop/disk_writes.py": f"{D}/local/disk_writes.py",
    # the domain: the vocabulary, and what is true whatever the backend or the screen
    "desktop/vocabulary.py": f"{D}/domain/vocabulary.py",
    "desktop/pci.py": f"{D}/domain/pci.py",
    "desktop/text.py": f"{D}/domain/text.py",
    "desktop/durations.py": f"{D}/domain/durations.py",
    "desktop/caller_id.py": f"{D}/domain/caller_id.py",
    "desktop/desk/caller_id.py": f"{D}/domain/caller_id.py",  # if a branch still has it in the desk
    "desktop/backends/__init__.py": None,
    # one conversation's transcript as a desk holds it: the agent's and the supervisor's
    "desktop/desk/conversations.py": f"{D}/transcripts/conversation.py",
    # the adapters, one package each (the HTTP plumbing they share in adapters/wire)
    "desktop/backends/ccaas_http.py": f"{D}/adapters/http/contact_center.py",
    "desktop/backends/crm_http.py": f"{D}/adapters/http/crm.py",
    "desktop/backends/presence_http.py": f"{D}/adapters/http/presence.py",
    "desktop/backends/supervisor_http.py": f"{D}/adapters/http/supervisor.py",
    "desktop/backends/http_client.py": f"{D}/adapters/http/client.py",
    "desktop/backends/answer_event_ids.py": f"{D}/adapters/wire/answer_event_ids.py",
    "desktop/backends/ccaas_twilio.py": f"{D}/adapters/twilio/contact_center.py",
    "desktop/backends/supervisor_twilio.py": f"{D}/adapters/twilio/supervisor.py",
    "desktop/backends/relay_backlog.py": f"{D}/adapters/twilio/relay_backlog.py",
    "desktop/backends/poll_budget.py": f"{D}/adapters/twilio/poll_budget.py",
    "desktop/backends/crm_zendesk.py": f"{D}/adapters/zendesk/crm.py",
    "desktop/backends/presence_xmpp.py": f"{D}/adapters/xmpp/presence.py",
    "desktop/presence_directory_file.py": f"{D}/adapters/xmpp/directory_file.py",
    "desktop/backends/answer_json.py": f"{D}/adapters/wire/answer_json.py",
    "desktop/backends/event_json.py": f"{D}/adapters/wire/event_json.py",
    "desktop/backends/header_values.py": f"{D}/adapters/wire/header_values.py",
    "desktop/backends/http_errors.py": f"{D}/adapters/wire/http_errors.py",
    "desktop/backends/lone_surrogates.py": f"{D}/adapters/wire/lone_surrogates.py",
    "desktop/backends/paging.py": f"{D}/adapters/wire/paging.py",
    "desktop/backends/stream.py": f"{D}/adapters/wire/stream.py",
    "desktop/backends/url_path.py": f"{D}/adapters/wire/url_path.py",
    # --- the mocks
    "mock_backends/__init__.py": f"{M}/__init__.py",
    "mock_backends/__main__.py": f"{M}/__main__.py",
    "mock_backends/cli.py": f"{M}/cli.py",
    "mock_backends/demo_people.py": f"{M}/demo_people.py",
    "mock_backends/ccaas/__init__.py": f"{M}/ccaas/__init__.py",
    # The mocks' settings carry the contact center's tables (IVR, intents, floor): they sit in the CCaaS,
    # above its tables, and the other servers read them there (common/ stands below every server).
    "mock_backends/common/settings.py": f"{M}/ccaas/settings.py",
    # the mock contact center's data tables, read once at start
    "mock_backends/ccaas/tables.py": f"{M}/ccaas/tables/load.py",
    "mock_backends/ccaas/ivr.py": f"{M}/ccaas/tables/ivr.py",
    "mock_backends/ccaas/seed.py": f"{M}/ccaas/tables/seed.py",
    "mock_backends/ccaas/floor_plan.py": f"{M}/ccaas/tables/floor_plan.py",
    "mock_backends/ccaas/contact_subjects.py": f"{M}/ccaas/tables/contact_subjects.py",
    "mock_backends/ccaas/conversations/intents.py": f"{M}/ccaas/tables/intents.py",
    "mock_backends/ccaas/monitoring/supervisors.py": f"{M}/ccaas/tables/supervisors.py",
    # the pure routing core: state, rules and the records and events it speaks
    "mock_backends/ccaas/schemas.py": f"{M}/ccaas/core/schemas.py",
    "mock_backends/ccaas/errors.py": f"{M}/ccaas/core/errors.py",
    "mock_backends/ccaas/contact_policy.py": f"{M}/ccaas/core/contact_policy.py",  # issue 45: the core reads it
    "mock_backends/ccaas/records.py": f"{M}/ccaas/core/records.py",
    "mock_backends/ccaas/routing.py": f"{M}/ccaas/core/routing.py",
    "mock_backends/ccaas/timers.py": f"{M}/ccaas/core/timers.py",
    "mock_backends/ccaas/transitions.py": f"{M}/ccaas/core/transitions.py",
    "mock_backends/ccaas/domain_events.py": f"{M}/ccaas/core/domain_events.py",
    # the figures: queue and agent statistics projected from what happened
    "mock_backends/ccaas/agent_time.py": f"{M}/ccaas/figures/agent_time.py",
    "mock_backends/ccaas/queue_counts.py": f"{M}/ccaas/figures/queue_counts.py",
    "mock_backends/ccaas/queue_figures.py": f"{M}/ccaas/figures/queue_figures.py",
    "mock_backends/ccaas/stats.py": f"{M}/ccaas/figures/stats.py",
    "mock_backends/ccaas/stats_projection.py": f"{M}/ccaas/figures/stats_projection.py",
    "mock_backends/ccaas/stats_push.py": f"{M}/ccaas/figures/stats_push.py",
    "mock_backends/ccaas/wait_estimate.py": f"{M}/ccaas/figures/wait_estimate.py",
    "mock_backends/ccaas/state_timeline.py": f"{M}/ccaas/figures/state_timeline.py",
    "mock_backends/ccaas/finished_log.py": f"{M}/ccaas/figures/finished_log.py",
    # the simulated people
    "mock_backends/ccaas/simulator.py": f"{M}/ccaas/simulator/traffic.py",
    "mock_backends/ccaas/simulated_callers.py": f"{M}/ccaas/simulator/callers.py",
    "mock_backends/ccaas/simulated_team.py": f"{M}/ccaas/simulator/team.py",
    "mock_backends/ccaas/simulator_agenda.py": f"{M}/ccaas/simulator/agenda.py",
    "mock_backends/ccaas/simulator_config.py": f"{M}/ccaas/simulator/config.py",
    # the API: the FastAPI app, its routers and what they depend on
    "mock_backends/ccaas/app.py": f"{M}/ccaas/api/app.py",
    "mock_backends/ccaas/dependencies.py": f"{M}/ccaas/api/dependencies.py",
    "mock_backends/ccaas/scope.py": f"{M}/ccaas/api/scope.py",
    "mock_backends/ccaas/answer_events.py": f"{M}/ccaas/api/answer_events.py",
    # the wiring of the conversations and the monitoring into the app
    "mock_backends/ccaas/conversations/wiring.py": f"{M}/ccaas/api/conversations_wiring.py",
    "mock_backends/ccaas/monitoring/wiring.py": f"{M}/ccaas/api/monitoring_wiring.py",
}

# (old folder, file name pattern, new path with {stem}: the name without the pattern's fixed part)
PATTERNS: list[tuple[str, str, str]] = [
    ("desktop/backends", "twilio_*.py", f"{D}/adapters/twilio/{{stem}}.py"),
    ("desktop/backends", "*_twilio.py", f"{D}/adapters/twilio/{{stem}}.py"),
    ("desktop/backends", "zendesk_*.py", f"{D}/adapters/zendesk/{{stem}}.py"),
    ("desktop/backends", "*_zendesk.py", f"{D}/adapters/zendesk/{{stem}}.py"),
    ("desktop/backends", "*_http.py", f"{D}/adapters/http/{{stem}}.py"),
    ("desktop/backends", "*_xmpp.py", f"{D}/adapters/xmpp/{{stem}}.py"),
    ("mock_backends/ccaas", "simulated_*.py", f"{M}/ccaas/simulator/{{stem}}.py"),
    ("mock_backends/ccaas", "stats_*.py", f"{M}/ccaas/figures/stats_{{stem}}.py"),
    ("mock_backends/ccaas", "queue_*.py", f"{M}/ccaas/figures/queue_{{stem}}.py"),
]

# A folder's default. The root folders of the old packages have none on purpose: what sits there is of
# every layer (the app, the domain, what is kept on disk), so a new one must be placed by hand (FILES).
FOLDERS: dict[str, str] = {
    "desktop/backends": f"{D}/domain",  # protocols, models, capabilities, errors, link status
    "desktop/desk": f"{D}/agent_desk",
    "desktop/supervisor_desk": f"{D}/supervisor_desk",
    "desktop/outbox": f"{D}/outbox",
    "desktop/staffing": f"{D}/staffing",
    "desktop/conversations": f"{D}/writing_aids",  # quick responses and the drafted wrap-up summary
    "desktop/ui": f"{D}/ui",
    "mock_backends/ccaas": f"{M}/ccaas/shell",  # the engine, its store, its publisher and its schedule
    "mock_backends/ccaas/core": f"{M}/ccaas/core",
    "mock_backends/ccaas/conversations": f"{M}/ccaas/conversations",
    "mock_backends/ccaas/monitoring": f"{M}/ccaas/monitoring",
    "mock_backends/ccaas/routers": f"{M}/ccaas/api/routers",
    "mock_backends/ccaas/data": f"{M}/ccaas/tables/data",
    "mock_backends/common": f"{M}/common",
    "mock_backends/crm": f"{M}/crm",
    "mock_backends/presence": f"{M}/presence",
    "mock_backends/twilio": f"{M}/twilio",
    "mock_backends/zendesk": f"{M}/zendesk",
    "twilio_relay": "agent_desktop_relay",
    "pci_redaction": "agent_desktop_pci",
}

# The docstring of each package the move creates (a package that exists already keeps its own).
PACKAGE_DOCS: dict[str, str] = {
    f"{D}/app": "The app level: the command line, the configuration, the demo, and the factory that picks the\nbackends the configuration names (each one an entry point).",
    f"{D}/local": "What the desk keeps on its own machine: where its files live, the desk log, writes that may meet a\nfull disk.",
    f"{D}/domain": "The domain: the vocabulary, the backends' protocols and models, capabilities and errors, PCI\nmasking. Stands on no terminal, no HTTP client and no other package of the desk.",
    f"{D}/adapters": "The backends, one plug-in package each (http, twilio, zendesk, xmpp), registered by entry point;\n`wire` holds the HTTP plumbing they share.",
    f"{D}/adapters/http": "The mock contact center's, CRM's and presence service's HTTP APIs (httpx and SSE).",
    f"{D}/adapters/twilio": "Twilio TaskRouter, Voice and Conversations as the contact center, events through the relay.",
    f"{D}/adapters/zendesk": "Zendesk Support as the CRM.",
    f"{D}/adapters/xmpp": "An XMPP roster as the experts' presence, names and skills from a directory file.",
    f"{D}/adapters/wire": "What the HTTP adapters share: JSON answers read, errors in words, the SSE stream, paging.",
    f"{D}/agent_desk": "The agent's desk without a terminal: what the agent holds (model), what they can do (commands), and\nthe use cases that talk to the backends (controller). The agent screen only draws it.",
    f"{D}/transcripts": "A conversation's transcript as a desk holds it (the agent's and the supervisor's): pages and events\nmerged, read marks, private notes, masked as it is kept.",
    f"{D}/writing_aids": "What helps the agent write: quick responses and the wrap-up summary drafted from a transcript\n(no Textual, no I/O).",
    f"{M}/ccaas/shell": "The mock contact center's shell: the engine that stores, commits and publishes what the pure core\ndecides, its SQLite store, its publisher and its schedule.",
    f"{M}/ccaas/figures": "The mock contact center's figures: queue and agent statistics projected from what happened.",
    f"{M}/ccaas/simulator": "The simulated callers and team that keep the mock contact center busy.",
    f"{M}/ccaas/api": "The mock contact center's FastAPI app, its routers and what they depend on.",
    f"{M}/ccaas/tables": "The mock contact center's data tables (IVR menus, intents, the floor), read and checked at start.",
}

# Entry points that name a module and an attribute keep the attribute; nothing else to say here: every
# dotted name and path is rewritten from the moves themselves.
