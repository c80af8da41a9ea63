import { graphql } from '../gql';

export const MeQuery = graphql(`
  query Me {
    me {
      id
      name
      email
      role
    }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      expiresAt
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const RegisterMutation = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      token
      expiresAt
      errors {
        ...UserErrorFields
      }
    }
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout {
    logout {
      revoked
      errors {
        ...UserErrorFields
      }
    }
  }
`);
