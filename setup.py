import re
from pathlib import Path

from setuptools import find_packages, setup

here = Path(__file__).parent
version = re.search(
	r'^__version__\s*=\s*"([^"]+)"', (here / "complaint_response" / "__init__.py").read_text(), re.M
).group(1)

setup(
	name="complaint_response",
	version=version,
	description=(
		"Customer-complaint emergency response plan for Frappe/ERPNext: complaint lifecycle, SLAs, "
		"crisis alerts and improvement actions"
	),
	long_description=(here / "README.md").read_text(encoding="utf-8"),
	long_description_content_type="text/markdown",
	author="Complaint Response Contributors",
	author_email="maintainers@complaint-response.org",
	license="MIT",
	python_requires=">=3.10",
	packages=find_packages(include=["complaint_response", "complaint_response.*"]),
	include_package_data=True,
	zip_safe=False,
	# frappe is installed and managed by bench; it is not on PyPI.
	install_requires=[],
)
