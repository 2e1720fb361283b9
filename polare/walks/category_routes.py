"""Admin pages of the incident categories (names in Swedish and English, order, in use)."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from polare.auth.access import roles
from polare.auth.models import Role
from polare.extensions import db
from polare.walks import bp
from polare.walks.categories import all_categories, save_incident_category
from polare.walks.forms import IncidentCategoryForm, NewIncidentCategoryForm
from polare.walks.models import IncidentCategory
from polare.web import save_form


@bp.route("/categories")
@roles(Role.ADMIN)
def categories():
    return render_template("walks/categories.html", categories=all_categories(db.session))


@bp.route("/categories/new", methods=["GET", "POST"], defaults={"category_id": None})
@bp.route("/categories/<id:category_id>", methods=["GET", "POST"])
@roles(Role.ADMIN)
def category_edit(category_id: int | None):
    category = db.session.get(IncidentCategory, category_id) if category_id else None
    if category_id and category is None:
        abort(404)
    form = IncidentCategoryForm(obj=category) if category else NewIncidentCategoryForm()
    if form.validate_on_submit():
        done = save_form(
            form, lambda: save_incident_category(
                db.session, current_user, category, name=form.name.data,
                name_en=form.name_en.data or "", active=form.active.data,
                sort_order=form.sort_order.data),
            _("Händelsekategorin är sparad."), url_for("walks.categories"))
        if done is not None:
            return done
    return render_template("walks/category_form.html", form=form, category=category), (
        422 if request.method == "POST" else 200)
