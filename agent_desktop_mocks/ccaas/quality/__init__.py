"""Quality management: evaluation forms the contact center keeps, the finished interactions a supervisor
may evaluate (transcript, notes, disposition, timeline), evaluations scored by the contact center, released to the
agent, who acknowledges each once, and scores rolled up per agent and form.

Shaped after Genesys Cloud's quality evaluations and Amazon Connect's performance evaluations: a form has sections
of weighted questions on an answer scale, some of them critical ("auto-fail"); a supervisor of the contact's queue
evaluates a completed contact once; the evaluation is released to the agent on submission (`evaluation_released`
on their stream), who reads the comments and acknowledges it.
"""
