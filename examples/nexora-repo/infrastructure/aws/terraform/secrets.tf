resource "aws_secretsmanager_secret" "stripe" {
  name = "nexora/prod/stripe"
}

resource "aws_secretsmanager_secret_version" "stripe" {
  secret_id = aws_secretsmanager_secret.stripe.id
  secret_string = jsonencode({
    STRIPE_SECRET_KEY     = "sk_test_REPLACE_ME"
    STRIPE_WEBHOOK_SECRET = "whsec_REPLACE_ME"
  })
}
