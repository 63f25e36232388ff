"""Briefing sections: one function per notebook step, returning displayable output.

Each channel notebook (``notebooks/<name>.ipynb``) opens a :class:`Context` with
:func:`helpers.sections.common.open_briefing`, then calls one function of its
module here per step. Functions return HTML (tables, prose, charts with alt text)
or a :class:`helpers.present.headlines.HeadlineSet`; they never write files.
"""
