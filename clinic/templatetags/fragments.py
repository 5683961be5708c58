"""`{% fragment "name" vary_on... %}...{% endfragment %}`: a part of a page rendered once
per content generation.

Like Django's `{% cache %}`, but never wrong: the key carries the site's content
generation (clinic.page_cache), which every published page, snippet or setting bumps, and
that generation is read before the view touches the database, so a fragment rendered from
data an editor has just replaced is stored under the old generation and never served
again. Nothing is cached for previews, signed-in users, requests that are not anonymous
reads, or when the cache does not answer. A fragment that used the CSRF token is not
stored: it would hand one visitor's token to the next.
"""

from django import template

from clinic.page_cache import remembered

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        request = context.get("request")
        vary_on = [self.name.resolve(context), *(value.resolve(context) for value in self.vary_on)]
        return remembered(request, vary_on, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    name, *vary_on = (parser.compile_filter(bit) for bit in bits[1:])
    return FragmentNode(nodelist, name, vary_on)
