"""A demo month (complaint_response.demo.month): `bench --site SITE complaint-demo [--remove]`."""
