"""``{% load content_lang %}``: marking text people wrote with its language (see
``cemsdi_portal/core/content_lang.py``).

``<div{% lang_attr strategy.language %}>``: `` lang="nb"`` when it is not the page's language.
``{{ comment.body|in_language:strategy.language }}``: the text, in a ``<span lang>`` if needed.
"""

from django import template

from cemsdi_portal.core import content_lang

register = template.Library()


@register.simple_tag
def lang_attr(language):
    return content_lang.lang_attr(language)


@register.filter
def in_language(text, language):
    return content_lang.in_language(text, language)
