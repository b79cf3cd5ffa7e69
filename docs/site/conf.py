# Copyright: hacluster.crm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# The docs site of hacluster.crm, as antsibull-docs sphinx-init makes it, built offline: no
# intersphinx (the two labels of Ansible's own docs that generated pages use are in ansible-refs.rst).

project = 'hacluster.crm'
copyright = 'hacluster.crm contributors'
title = 'hacluster.crm'
html_short_title = 'hacluster.crm'

extensions = ['sphinx.ext.autodoc', 'sphinx_antsibull_ext']

pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False
html_theme_options = {'collapse_navigation': False}

default_role = 'any'
nitpicky = True
