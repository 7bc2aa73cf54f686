"""Nothing of the export app is registered in the Django admin: imported items are
a person's own content (private notes among them), and no admin reads them."""
