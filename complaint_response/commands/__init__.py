"""Bench commands of the app: `bench --site SITE complaint-demo [--remove] [--size N]`."""

import click
from frappe.commands import get_site, pass_context


@click.command("complaint-demo")
@click.option("--remove", is_flag=True, default=False, help="Delete everything the demo month created.")
@click.option(
	"--size", type=int, default=300, help="Complaints in the month (besides the burst and history)."
)
@pass_context
def complaint_demo(context, remove: bool = False, size: int = 300) -> None:
	"""Fill the site with a demo month of complaints (idempotent), or remove it."""
	import frappe

	from complaint_response.demo import month

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		if remove:
			month.remove(log=click.echo)
		else:
			month.make(size=size, log=click.echo)
	finally:
		frappe.destroy()


commands = [complaint_demo]
