"""Settings -> Import from WordPress: upload the export, read its dry run, confirm, follow
the import on the task worker, keep its report."""

import zipfile

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_POST
from wagtail.permission_policies import ModelPermissionPolicy

from blog import tasks
from blog.models import BlogIndexPage, WordPressImport

import_permissions = ModelPermissionPolicy(WordPressImport)


class WordPressImportForm(forms.Form):
    export = forms.FileField(
        label="WordPress export (.xml)",
        help_text="In WordPress: Tools -> Export -> All content -> Download Export File.",
    )
    uploads = forms.FileField(
        label="Pictures (optional .zip of wp-content/uploads)",
        required=False,
        help_text="Without it the articles are imported and their pictures reported missing.",
    )
    index = forms.ModelChoiceField(
        label="Article index",
        queryset=BlogIndexPage.objects.all(),
        empty_label=None,
        help_text="The posts become articles here; pages go under the home page.",
    )

    def clean_export(self):
        export = self.cleaned_data["export"]
        start = export.read(2048).lstrip()
        export.seek(0)
        if not export.name.lower().endswith(".xml") or not start.startswith((b"<?xml", b"<rss")):
            raise forms.ValidationError(
                "This is not a WordPress export: choose the .xml file that Tools -> Export "
                "downloads."
            )
        return export

    def clean_uploads(self):
        uploads = self.cleaned_data["uploads"]
        if uploads and not zipfile.is_zipfile(uploads):
            raise forms.ValidationError(
                "The pictures must be one .zip file of the wp-content/uploads folder."
            )
        return uploads


def _allowed(request, action):
    if not import_permissions.user_has_permission(request.user, action):
        raise PermissionDenied


def upload(request):
    _allowed(request, "add")
    form = WordPressImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            wordpress_import = WordPressImport(
                created_by=request.user,
                index=form.cleaned_data["index"],
                export=form.cleaned_data["export"],
                uploads=form.cleaned_data["uploads"] or "",
            )
            tasks.start_check(wordpress_import)
            return redirect("wordpress_import_detail", wordpress_import.pk)
        status = 400
    return TemplateResponse(
        request,
        "blog/admin/wordpress_import.html",
        {"form": form, "imports": WordPressImport.objects.select_related("index")[:20]},
        status=status,
    )


def detail(request, pk):
    _allowed(request, "add")
    wordpress_import = get_object_or_404(WordPressImport, pk=pk)
    working = wordpress_import.status in {
        WordPressImport.Status.CHECKING,
        WordPressImport.Status.QUEUED,
        WordPressImport.Status.RUNNING,
    }
    return TemplateResponse(
        request,
        "blog/admin/wordpress_import_detail.html",
        {"wordpress_import": wordpress_import, "working": working},
    )


@require_POST
def confirm(request, pk):
    _allowed(request, "add")
    wordpress_import = get_object_or_404(WordPressImport, pk=pk)
    if tasks.confirm(wordpress_import):
        messages.success(request, "The import is queued; this page shows its progress.")
    else:
        messages.error(request, "This import was already confirmed, or its dry run is not done.")
    return redirect("wordpress_import_detail", pk)


urls = [
    path("import-from-wordpress/", upload, name="wordpress_import"),
    path("import-from-wordpress/<int:pk>/", detail, name="wordpress_import_detail"),
    path("import-from-wordpress/<int:pk>/confirm/", confirm, name="wordpress_import_confirm"),
]
